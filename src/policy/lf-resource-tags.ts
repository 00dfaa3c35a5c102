import { z } from 'zod';
import type { Staged } from '../catalog/types';
import { lfTagPair, name, parseItems, toPairs, zodIssues } from './lf-shapes';
import type { TableTags } from './lf-types';

/**
 * Zod schemas for `aws lakeformation get-resource-lf-tags` outputs and their mapping onto
 * `TableTags`. An output does not say which table it describes (only its columns by `Name`), so
 * it comes either alone, for a table named elsewhere (the config, or the live request), or in a
 * list whose items name their table in `Table` — the `TaggedTable` shape `search-tables-by-lf-tags`
 * prints, and the `--resource` a script asked `get-resource-lf-tags` about.
 */

const columnLFTag = z.object({ Name: name, LFTags: z.array(lfTagPair).optional() }).passthrough();

export const resourceLFTagsSchema = z
  .object({ LFTagOnDatabase: z.array(lfTagPair).optional(), LFTagsOnTable: z.array(lfTagPair).optional(), LFTagsOnColumns: z.array(columnLFTag).optional() })
  .passthrough();

/** A `Table` resource naming one table (a `TableWildcard` names none). */
const namedTable = z.object({ CatalogId: z.string().optional(), DatabaseName: name, Name: name }).passthrough();

const taggedTableSchema = resourceLFTagsSchema.extend({ Table: namedTable.optional() });

type RawResourceTags = z.infer<typeof resourceLFTagsSchema>;

/** A table's tags with the place that names the table (`[3].Table`, `TableList[3].Table` of its file). */
export interface PlacedTableTags {
  readonly tags: TableTags;
  readonly place: { readonly file: string; readonly path: string };
}

const NOT_A_LIST = 'expected a JSON list of get-resource-lf-tags outputs, each naming its table in "Table": {"DatabaseName", "Name"} '
  + '(or the {"TableList": [...]} search-tables-by-lf-tags prints); a single output goes in resourceTags as { table, file }';

const NAMES_NO_TABLE = 'this get-resource-lf-tags output does not name its table: add "Table": {"DatabaseName": ..., "Name": ...} '
  + '(the --resource it was asked about)';

/** Parses one `get-resource-lf-tags` output for `database.table`; on any issue the value is null. */
export function parseResourceTagsDocument(document: unknown, file: string, database: string, table: string): Staged<TableTags | null> {
  const parsed = resourceLFTagsSchema.safeParse(document);
  if (!parsed.success) return { value: null, issues: zodIssues(parsed.error, '', file) };
  return { value: toTableTags(parsed.data, database, table), issues: [] };
}

/**
 * Parses a list of outputs, each naming its table: a JSON array, or `{"TableList": [...]}`. An item
 * that names no table is an issue at its index and is left out.
 */
export function parseTaggedTablesDocument(document: unknown, file: string): Staged<PlacedTableTags[]> {
  const list = listOf(document);
  if (!list) return { value: [], issues: [{ file, path: '', message: NOT_A_LIST }] };
  return parseItems(list.items, list.prefix, taggedTableSchema, file, (raw, report, at) => {
    if (!raw.Table) {
      report('', NAMES_NO_TABLE);
      return null;
    }
    const catalog = raw.Table.CatalogId === undefined ? {} : { CatalogId: raw.Table.CatalogId };
    return { tags: { ...catalog, ...toTableTags(raw, raw.Table.DatabaseName, raw.Table.Name) }, place: { file, path: `${at}.Table` } };
  });
}

function listOf(document: unknown): { items: readonly unknown[]; prefix: string } | null {
  if (Array.isArray(document)) return { items: document, prefix: '' };
  const wrapped = z.object({ TableList: z.array(z.unknown()) }).passthrough().safeParse(document);
  return wrapped.success ? { items: wrapped.data.TableList, prefix: 'TableList' } : null;
}

function toTableTags(raw: RawResourceTags, database: string, table: string): TableTags {
  return {
    database,
    table,
    LFTagOnDatabase: toPairs(raw.LFTagOnDatabase),
    LFTagsOnTable: toPairs(raw.LFTagsOnTable),
    LFTagsOnColumns: (raw.LFTagsOnColumns ?? []).map((column) => ({ Name: column.Name, LFTags: toPairs(column.LFTags) })),
  };
}
