import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { Issue, Staged } from '../catalog/types';
import type { PersistedQueriesConfig } from './schema';

/**
 * The persisted-documents manifest: `{ "<sha256 of the text>": "<document text>" }`, one entry per
 * client operation. `npm run codegen` writes it from `examples/*.graphql`; with
 * `persistedQueries.mode: allowlist` the server accepts only these documents.
 */
export type PersistedDocuments = ReadonlyMap<string, string>;

/** The key of a document: the sha256 of its exact text, in hex (Apollo's persisted-query hash). */
export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The manifest of client operations: each operation with the fragments it uses (transitively,
 * by name), printed by graphql-js so the text does not depend on the source's layout. Keys are
 * sorted so the file only changes when an operation does.
 */
export function buildPersistedDocuments(documents: readonly DocumentNode[]): Record<string, string> {
  const definitions = documents.flatMap((document) => document.definitions);
  const fragments = new Map(definitions.filter(isFragment).map((fragment) => [fragment.name.value, fragment]));
  const texts = definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => print({ kind: Kind.DOCUMENT, definitions: [operation, ...usedFragments(operation, fragments)] }));
  return Object.fromEntries(texts.map((text) => [documentHash(text), text]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

function isFragment(definition: DefinitionNode): definition is FragmentDefinitionNode {
  return definition.kind === Kind.FRAGMENT_DEFINITION;
}

function usedFragments(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  for (let node = pending.pop(); node; node = pending.pop()) {
    visit(node, {
      FragmentSpread: (spread) => {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(spread.name.value)) {
          used.set(spread.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()].sort((a, b) => (a.name.value < b.name.value ? -1 : 1));
}

/**
 * With `mode: allowlist`, the manifest read and checked at start-up: a JSON object of non-empty
 * documents, each under the sha256 of its text. A missing or invalid file stops start-up with its
 * path; other modes read nothing.
 */
export function loadPersistedDocuments(settings: PersistedQueriesConfig, dir: string): Staged<PersistedDocuments | null> {
  if (settings.mode !== 'allowlist' || settings.manifest === undefined) return { value: null, issues: [] };
  const file = path.resolve(dir, settings.manifest);
  const problem = (message: string): Staged<null> => ({ value: null, issues: [{ path: 'persistedQueries.manifest', message }] });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return problem(`file not found: ${file} (npm run codegen writes it from examples/*.graphql)`);
    return problem(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return problem(`${file}: must be a JSON object of sha256 → document`);
  const issues: Issue[] = [];
  for (const [hash, text] of Object.entries(json)) {
    if (typeof text !== 'string' || text.trim() === '') issues.push({ file, path: hash, message: 'must be a document (a non-empty string)' });
    else if (documentHash(text) !== hash) issues.push({ file, path: hash, message: 'is not the sha256 of its document; regenerate the manifest with npm run codegen' });
  }
  if (Object.keys(json).length === 0) issues.push({ file, path: '', message: 'lists no documents: every request would be refused' });
  return issues.length > 0 ? { value: null, issues } : { value: new Map(Object.entries(json as Record<string, string>)), issues: [] };
}
