import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Issue, Staged } from '../catalog/types';
import type { LakeFormationConfig } from '../config/schema';
import { tableKey } from './grants';
import { parseResourceTagsDocument, parseTaggedTablesDocument } from './lf-resource-tags';
import { parseDataCellsFiltersDocument, parseLFTagsDocument, parsePermissionsDocument } from './lf-shapes';
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

/**
 * `resourceTags` is one list file, or a list of list files and `{ table, file }` entries. A table
 * named twice, in any mix of the two, is an issue at the second place that names it.
 */
function readTableTags(resourceTags: FilesConfig['resourceTags'], read: Reader, issues: Issue[]): TableTags[] {
  const entries = typeof resourceTags === 'string'
    ? [{ configPath: 'lakeFormation.files.resourceTags', entry: resourceTags }]
    : resourceTags.map((entry, index) => ({ configPath: `lakeFormation.files.resourceTags[${index}]`, entry }));
  const seen = new Set<string>();
  const firstTime = (database: string, table: string, place: { file?: string; path: string }): boolean => {
    const key = tableKey(database, table);
    if (!seen.has(key)) {
      seen.add(key);
      return true;
    }
    issues.push({ ...place, message: `tags for ${database}.${table} are given twice` });
    return false;
  };
  return entries.flatMap(({ configPath, entry }) => {
    if (typeof entry === 'string') {
      const list = read(entry, configPath, parseTaggedTablesDocument) ?? [];
      return list.filter((item) => firstTime(item.tags.database, item.tags.table, item.place)).map((item) => item.tags);
    }
    const [database, table] = entry.table.split('.') as [string, string];
    if (!firstTime(database, table, { path: `${configPath}.table` })) return [];
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
