import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { curateDatasets } from '../catalog/curation';
import { curateKpis } from '../catalog/kpis';
import { formatZodPath, parseGlueTables } from '../catalog/glue';
import type { Catalog, GlueTable, Issue, Staged } from '../catalog/types';
import type { LakeFormationSnapshot } from '../policy/lf-types';
import { coerceWhere } from '../schema/coerce-where';
import { loadLakeFormation, type SettledLakeFormationConfig } from './lake-formation';
import { loadPersistedDocuments, type PersistedDocuments } from './persisted-documents';
import { configSchema, type ConfigFile } from './schema';

/** The configuration file as validated, with `lakeFormation.catalogId` settled (taken from the exports when left out). */
export type LoadedConfigFile = Omit<ConfigFile, 'lakeFormation'> & { readonly lakeFormation?: SettledLakeFormationConfig };

export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  readonly config: LoadedConfigFile;
  readonly catalog: Catalog;
  /** Lake Formation permissions read from exported files; null in live mode or when not configured. */
  readonly lakeFormation: LakeFormationSnapshot | null;
  /** Problems that do not stop start-up: the server logs them, check-config prints them. */
  readonly warnings: readonly Issue[];
  /** With `persistedQueries.mode: allowlist`, the documents of its manifest; else null. */
  readonly persistedDocuments: PersistedDocuments | null;
}

/**
 * Loads the curation file in explicit stages (read → parse YAML → validate → read Glue →
 * curate), each collecting issues with their place in the input. The caller starts nothing
 * unless the issue list is empty.
 */
export function loadConfig(file: string): Staged<LoadedConfig | null> {
  const absolute = path.resolve(file);
  const text = readText(absolute);
  if (!text.ok) return { value: null, issues: [{ file: absolute, path: '', message: text.error }] };

  const lineCounter = new LineCounter();
  const document = parseDocument(text.value, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      value: null,
      issues: document.errors.map((error) => ({ file: absolute, path: '', line: lineCounter.linePos(error.pos[0]).line, message: error.message.split('\n')[0]! })),
    };
  }
  const parsed = configSchema.safeParse(document.toJS());
  if (!parsed.success) {
    return {
      value: null,
      issues: parsed.error.issues.map((issue) => ({
        file: absolute,
        path: formatZodPath(issue.path),
        line: lineOf(document, lineCounter, issue.path),
        message: issue.message,
      })),
    };
  }
  const config = parsed.data;
  const dir = path.dirname(absolute);
  const tables = loadGlueFiles(config.catalog.glue.files, dir);
  const curated = curateDatasets(config.datasets, tables.value, Object.keys(config.engines).filter((name) => config.engines[name as keyof ConfigFile['engines']]));
  const kpis = curateKpis(config.kpis, curated.value, coerceWhere);
  const curationIssues = [...curated.issues, ...kpis.issues].map((issue) => ({
    ...issue,
    file: absolute,
    line: lineOf(document, lineCounter, parsePath(issue.path)),
  }));
  const locate = (issue: Issue): Issue => issue.file ? issue : { ...issue, file: absolute, line: lineOf(document, lineCounter, parsePath(issue.path)) };
  const lakeFormation = config.lakeFormation
    ? loadLakeFormation(config.lakeFormation, { dir, tables: tables.value, served: curated.value.map((dataset) => dataset.table) })
    : { value: null, issues: [], warnings: [] };
  const routingIssues = [...checkRouting(config), ...checkRedshiftSchemas(config, tables.value)].map(locate);
  const persisted = loadPersistedDocuments(config.persistedQueries, dir);
  const issues = [...tables.issues, ...curationIssues, ...routingIssues, ...lakeFormation.issues.map(locate), ...persisted.issues.map(locate)];
  if (issues.length > 0) return { value: null, issues };
  return {
    value: {
      file: absolute,
      dir,
      config: { ...config, lakeFormation: lakeFormation.value?.settings },
      catalog: { tables: tables.value, datasets: curated.value, kpis: kpis.value },
      lakeFormation: lakeFormation.value?.snapshot ?? null,
      warnings: lakeFormation.warnings.map(locate),
      persistedDocuments: persisted.value,
    },
    issues,
  };
}

/** Routing may only name configured engines. */
function checkRouting(config: ConfigFile): Issue[] {
  const configured = Object.keys(config.engines).filter((name) => config.engines[name as keyof ConfigFile['engines']]);
  const named: [string, string][] = [
    ...(config.routing.adHoc ? [['routing.adHoc', config.routing.adHoc] as [string, string]] : []),
    ...(config.routing.sla ? [['routing.sla', config.routing.sla] as [string, string]] : []),
    ...Object.entries(config.routing.fallbacks).flatMap(([from, to]): [string, string][] => [[`routing.fallbacks.${from}`, from], [`routing.fallbacks.${from}`, to]]),
  ];
  return named
    .filter(([, engine]) => !configured.includes(engine))
    .map(([at, engine]) => ({ path: at, message: `no engine "${engine}" is configured (engines: ${configured.join(', ')})` }));
}

/** A schema mapping may only name Glue databases the catalog has (a typo would silently map nothing). */
function checkRedshiftSchemas(config: ConfigFile, tables: readonly GlueTable[]): Issue[] {
  const databases = [...new Set(tables.map((table) => table.database))];
  return Object.keys(config.engines.redshift?.schemas ?? {})
    .filter((database) => !databases.includes(database))
    .map((database) => ({ path: `engines.redshift.schemas.${database}`, message: `no Glue database "${database}" in the catalog (databases: ${databases.join(', ')})` }));
}

function loadGlueFiles(files: readonly string[], dir: string): Staged<GlueTable[]> {
  const issues: Issue[] = [];
  const tables = files.flatMap((relative, index) => {
    const file = path.resolve(dir, relative);
    const text = readText(file);
    if (!text.ok) {
      issues.push({ path: `catalog.glue.files[${index}]`, message: text.error });
      return [];
    }
    let document: unknown;
    try {
      document = JSON.parse(text.value);
    } catch (error) {
      issues.push({ file, path: '', message: `not valid JSON: ${(error as Error).message}` });
      return [];
    }
    const parsed = parseGlueTables(document, file);
    issues.push(...parsed.issues);
    return parsed.value;
  });
  return { value: tables, issues };
}

function readText(file: string): { ok: true; value: string } | { ok: false; error: string } {
  try {
    return { ok: true, value: readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${(error as Error).message}` };
  }
}

/** `datasets[2].relations.customer` → ['datasets', 2, 'relations', 'customer']. */
function parsePath(text: string): (string | number)[] {
  return [...text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1]!));
}

/** The 1-based line of the deepest node that exists along `keyPath`. */
function lineOf(document: Document, lineCounter: LineCounter, keyPath: readonly PropertyKey[]): number | undefined {
  let node: unknown = document.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (const key of keyPath) {
    if (isMap(node)) node = node.get(key as string, true);
    else if (isSeq(node) && typeof key === 'number') node = node.get(key, true);
    else break;
    if (!isNode(node)) break;
    found = node;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.line].filter((part) => part !== undefined).join(':');
  const place = issue.path ? `${issue.path}: ` : '';
  return `${where ? `${where}: ` : ''}${place}${issue.message}`;
}
