import type { GlueTable, Issue, Staged } from '../catalog/types';
import type { Expr } from '../query/types';
import type { DataCellsFilter, LakeFormationSnapshot, LFTagPair, PrincipalResourcePermissions, TableTags } from './lf-types';
import { parseRowFilter } from './row-filter';

/**
 * Lake Formation permissions expanded to one grant per (principal, table): wildcards, columns,
 * data cells filters and LF-Tag policies resolved against the catalog once, at load. Per
 * request only the caller's grants are picked out (see access.ts).
 */
export interface Grant {
  readonly principal: string;
  /** `database.table`, lower case. */
  readonly table: string;
  /** SELECT or ALL; otherwise the grant only lets the caller see that the table exists. */
  readonly read: boolean;
  /** Rows the grant reaches; null for all rows. */
  readonly rows: Expr | null;
  /** Catalog column names the grant reaches. */
  readonly columns: readonly string[];
  /** What granted it, for audit logs: a data cells filter or tag policy name, or the resource kind. */
  readonly source: string;
}

export const EVERYONE = 'IAM_ALLOWED_PRINCIPALS';
const READ_PERMISSIONS = new Set(['SELECT', 'ALL']);

export function tableKey(database: string, table: string): string {
  return `${database}.${table}`.toLowerCase();
}

interface Context {
  readonly catalogId: string;
  readonly tables: readonly GlueTable[];
  readonly filters: ReadonlyMap<string, { rows: Expr | null; columns: readonly string[] }>;
  readonly tags: ReadonlyMap<string, TableTags>;
}

export function expandGrants(snapshot: LakeFormationSnapshot, tables: readonly GlueTable[], catalogId: string): Staged<Grant[]> {
  const issues: Issue[] = [];
  const filters = compileFilters(snapshot.dataCellsFilters, tables, catalogId, issues);
  const tags = tagsInForce(snapshot.tableTags, catalogId);
  const context: Context = { catalogId, tables, filters, tags };
  const grants = snapshot.permissions.flatMap((permission) => grantsOf(permission, context));
  return { value: grants, issues };
}

/** Tag exports by `tableKey`, leaving out tables an export places in another Data Catalog. */
export function tagsInForce(tableTags: readonly TableTags[], catalogId: string): Map<string, TableTags> {
  const inCatalog = tableTags.filter((entry) => entry.CatalogId === undefined || entry.CatalogId === catalogId);
  return new Map(inCatalog.map((entry) => [tableKey(entry.database, entry.table), entry]));
}

/** An LF-Tag policy grant on tables of the served catalog: what it reaches depends on tables' tags. */
export function isTableTagPolicy(permission: PrincipalResourcePermissions, catalogId: string): boolean {
  const policy = permission.Resource.LFTagPolicy;
  return policy !== undefined && policy.ResourceType === 'TABLE' && (policy.CatalogId === undefined || policy.CatalogId === catalogId);
}

function compileFilters(list: readonly DataCellsFilter[], tables: readonly GlueTable[], catalogId: string, issues: Issue[]): Map<string, { rows: Expr | null; columns: readonly string[] }> {
  const compiled = new Map<string, { rows: Expr | null; columns: readonly string[] }>();
  list.forEach((filter, index) => {
    if (filter.TableCatalogId && filter.TableCatalogId !== catalogId) return;
    const table = tables.find((candidate) => tableKey(candidate.database, candidate.name) === tableKey(filter.DatabaseName, filter.TableName));
    if (!table) return;
    const path = `DataCellsFilters[${index}]`;
    let rows: Expr | null = null;
    const expression = filter.RowFilter?.FilterExpression;
    if (expression !== undefined && !filter.RowFilter?.AllRowsWildcard) {
      const parsed = parseRowFilter(expression, table);
      if (!parsed.ok) {
        issues.push({ path: `${path}.RowFilter.FilterExpression`, message: `data cells filter "${filter.Name}" on ${filter.DatabaseName}.${filter.TableName}: ${parsed.error}` });
        return;
      }
      rows = parsed.expr;
    }
    const columns = selectColumns(table, filter.ColumnNames, filter.ColumnWildcard?.ExcludedColumnNames, filter.ColumnWildcard !== undefined);
    compiled.set(`${tableKey(filter.DatabaseName, filter.TableName)}.${filter.Name}`, { rows, columns });
  });
  return compiled;
}

/** ColumnNames, or every column but the excluded ones; names match case-insensitively. */
function selectColumns(table: GlueTable, names: readonly string[] | undefined, excluded: readonly string[] | undefined, wildcard: boolean): string[] {
  if (!wildcard && names) {
    const wanted = new Set(names.map((name) => name.toLowerCase()));
    return table.columns.filter((col) => wanted.has(col.name.toLowerCase())).map((col) => col.name);
  }
  const skip = new Set((excluded ?? []).map((name) => name.toLowerCase()));
  return table.columns.filter((col) => !skip.has(col.name.toLowerCase())).map((col) => col.name);
}

function grantsOf(permission: PrincipalResourcePermissions, context: Context): Grant[] {
  const principal = permission.Principal.DataLakePrincipalIdentifier;
  const read = permission.Permissions.some((name) => READ_PERMISSIONS.has(name));
  const { Table, TableWithColumns, DataCellsFilter, LFTagPolicy } = permission.Resource;
  const sameCatalog = (id: string | undefined): boolean => id === undefined || id === context.catalogId;
  const make = (table: GlueTable, rows: Expr | null, columns: readonly string[], source: string): Grant =>
    ({ principal, table: tableKey(table.database, table.name), read, rows, columns, source });

  if (Table && sameCatalog(Table.CatalogId)) {
    return context.tables
      .filter((table) => table.database.toLowerCase() === Table.DatabaseName.toLowerCase() && (Table.TableWildcard !== undefined || table.name.toLowerCase() === Table.Name?.toLowerCase()))
      .map((table) => make(table, null, table.columns.map((col) => col.name), Table.TableWildcard ? 'TableWildcard' : 'Table'));
  }
  if (TableWithColumns && sameCatalog(TableWithColumns.CatalogId)) {
    const table = findTable(context.tables, TableWithColumns.DatabaseName, TableWithColumns.Name);
    if (!table) return [];
    const columns = selectColumns(table, TableWithColumns.ColumnNames, TableWithColumns.ColumnWildcard?.ExcludedColumnNames, TableWithColumns.ColumnWildcard !== undefined);
    return columns.length > 0 ? [make(table, null, columns, 'TableWithColumns')] : [];
  }
  if (DataCellsFilter && sameCatalog(DataCellsFilter.TableCatalogId)) {
    const table = findTable(context.tables, DataCellsFilter.DatabaseName, DataCellsFilter.TableName);
    const filter = context.filters.get(`${tableKey(DataCellsFilter.DatabaseName, DataCellsFilter.TableName)}.${DataCellsFilter.Name}`);
    // A grant on a filter that does not exist (or failed to parse) grants nothing: fail closed.
    return table && filter ? [make(table, filter.rows, filter.columns, DataCellsFilter.Name)] : [];
  }
  if (LFTagPolicy && isTableTagPolicy(permission, context.catalogId)) {
    return context.tables.flatMap((table) => {
      const tags = context.tags.get(tableKey(table.database, table.name));
      const source = `LFTagPolicy(${formatExpression(LFTagPolicy.Expression)})`;
      const columns = table.columns.filter((col) => tagsMatch(effectiveTags(tags, col.name), LFTagPolicy.Expression)).map((col) => col.name);
      if (columns.length > 0) return [make(table, null, columns, source)];
      // The table's own tags match but every column overrides them: the table is reached
      // (listed), yet there is nothing to read.
      if (tagsMatch(effectiveTags(tags, null), LFTagPolicy.Expression)) return [{ ...make(table, null, [], source), read: false }];
      return [];
    });
  }
  return [];
}

function findTable(tables: readonly GlueTable[], database: string, name: string): GlueTable | undefined {
  return tables.find((table) => tableKey(table.database, table.name) === tableKey(database, name));
}

/** Tags of a column (or, for null, of the table): database tags, overridden per key by table tags, then by the column's own. */
export function effectiveTags(tags: TableTags | undefined, column: string | null): Map<string, readonly string[]> {
  const result = new Map<string, readonly string[]>();
  const apply = (pairs: readonly LFTagPair[] | undefined): void => pairs?.forEach((pair) => result.set(pair.TagKey, pair.TagValues));
  apply(tags?.LFTagOnDatabase);
  apply(tags?.LFTagsOnTable);
  if (column !== null) apply(tags?.LFTagsOnColumns?.find((entry) => entry.Name.toLowerCase() === column.toLowerCase())?.LFTags);
  return result;
}

/** Keys are ANDed; the values of one key are ORed. */
export function tagsMatch(tags: ReadonlyMap<string, readonly string[]>, expression: readonly LFTagPair[]): boolean {
  return expression.every((pair) => (tags.get(pair.TagKey) ?? []).some((value) => pair.TagValues.includes(value)));
}

export function formatExpression(expression: readonly LFTagPair[]): string {
  return expression.map((pair) => `${pair.TagKey}=${pair.TagValues.join('|')}`).join(',');
}
