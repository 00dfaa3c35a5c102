import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Issue, Staged } from '../catalog/types';
import type { LakeFormationConfig } from '../config/schema';
import {
  parseDataCellsFiltersDocument,
  parseLFTagsDocument,
  parsePermissionsDocument,
  parseResourceTagsDocument,
} from './lf-shapes';
import type { LakeFormationSnapshot, TableTags } from './lf-types';

type FilesConfig = NonNullable<LakeFormationConfig['files']>;

/**
 * The "import Lake Formation" stage for exported files: reads the `aws lakeformation ...` outputs
 * named in `lakeFormation.files` (relative to `dir`) into one snapshot. Every problem is an issue
 * naming its file and its place in the JSON; the value is null as soon as there is one, so a
 * half-read permission set never serves.
 */
export function loadLakeFormationFiles(files: FilesConfig, dir: string): Staged<LakeFormationSnapshot | null> {
  const issues: Issue[] = [];
  const read = <T>(relative: string, configPath: string, parse: (document: unknown, file: string) => Staged<T>): T | null => {
    const document = readJson(path.resolve(dir, relative), configPath, issues);
    if (document === undefined) return null;
    const parsed = parse(document.value, document.file);
    issues.push(...parsed.issues);
    return parsed.value;
  };
  const dataCellsFilters = files.dataCellsFilters ? read(files.dataCellsFilters, 'lakeFormation.files.dataCellsFilters', parseDataCellsFiltersDocument) ?? [] : [];
  const permissions = read(files.permissions, 'lakeFormation.files.permissions', (document, file) => parsePermissionsDocument(document, file, dataCellsFilters)) ?? [];
  const tagDefinitions = files.lfTags ? read(files.lfTags, 'lakeFormation.files.lfTags', parseLFTagsDocument) ?? [] : [];
  const tableTags = readTableTags(files.resourceTags, read, issues);
  const snapshot: LakeFormationSnapshot = { permissions, dataCellsFilters, tableTags, tagDefinitions };
  return { value: issues.length === 0 ? snapshot : null, issues };
}

type Reader = <T>(relative: string, configPath: string, parse: (document: unknown, file: string) => Staged<T>) => T | null;

function readTableTags(entries: FilesConfig['resourceTags'], read: Reader, issues: Issue[]): TableTags[] {
  const seen = new Set<string>();
  return entries.flatMap((entry, index) => {
    const configPath = `lakeFormation.files.resourceTags[${index}]`;
    const key = entry.table.toLowerCase();
    if (seen.has(key)) {
      issues.push({ path: `${configPath}.table`, message: `tags for ${entry.table} are given twice` });
      return [];
    }
    seen.add(key);
    const [database, table] = entry.table.split('.') as [string, string];
    const tags = read(entry.file, `${configPath}.file`, (document, file) => parseResourceTagsDocument(document, file, database, table));
    return tags ? [tags] : [];
  });
}

/** Reads and parses one JSON file; `undefined` (with an issue) when it cannot. */
function readJson(file: string, configPath: string, issues: Issue[]): { file: string; value: unknown } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    issues.push({ path: configPath, message: code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${(error as Error).message}` });
    return undefined;
  }
  try {
    return { file, value: JSON.parse(text) as unknown };
  } catch (error) {
    issues.push({ file, path: '', message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}
