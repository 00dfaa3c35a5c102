import { z } from 'zod';
import { formatZodPath } from '../catalog/glue';
import type { Issue, Staged } from '../catalog/types';
import type {
  DataCellsFilter,
  LFTagDefinition,
  LFTagPair,
  PrincipalResourcePermissions,
  Resource,
} from './lf-types';

/**
 * Zod schemas for the outputs of `aws lakeformation list-permissions`, `list-data-cells-filter` and
 * `list-lf-tags` (the same shapes the SDK returns; `get-resource-lf-tags` is in lf-resource-tags.ts),
 * and the mapping onto `lf-types.ts`. Unknown AWS keys pass validation and are dropped by the
 * mapping, so a snapshot only carries the keys that decide reads. Each list item is checked on its
 * own: one bad item is one issue at its path (`PrincipalResourcePermissions[3].Resource`) and is
 * left out, the others still map.
 */

export const name = z.string().min(1);
const names = z.array(z.string());
const emptyObject = z.object({}).passthrough();

export const lfTagPair = z.object({ CatalogId: z.string().optional(), TagKey: name, TagValues: names }).passthrough();
const columnWildcard = z.object({ ExcludedColumnNames: names.optional() }).passthrough();

const databaseResource = z.object({ CatalogId: z.string().optional(), Name: name }).passthrough();

const tableResource = z
  .object({ CatalogId: z.string().optional(), DatabaseName: name, Name: name.optional(), TableWildcard: emptyObject.optional() })
  .passthrough()
  .superRefine((table, ctx) => {
    if ((table.Name === undefined) === (table.TableWildcard === undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'set exactly one of Name or TableWildcard' });
    }
  });

const tableWithColumnsResource = z
  .object({ CatalogId: z.string().optional(), DatabaseName: name, Name: name, ColumnNames: names.optional(), ColumnWildcard: columnWildcard.optional() })
  .passthrough()
  .superRefine((table, ctx) => checkColumns(table, ctx));

const dataCellsFilterResource = z
  .object({ TableCatalogId: z.string().optional(), DatabaseName: name, TableName: name, Name: name })
  .passthrough();

const lfTagPolicyResource = z
  .object({
    CatalogId: z.string().optional(),
    ResourceType: z.enum(['DATABASE', 'TABLE']),
    Expression: z.array(lfTagPair).min(1).optional(),
    ExpressionName: z.string().optional(),
  })
  .passthrough()
  .superRefine((policy, ctx) => {
    if (policy.Expression) return;
    const message = policy.ExpressionName
      ? `grants on the named LF-Tag expression "${policy.ExpressionName}" are not supported: export the grant with its Expression`
      : 'Expression is required';
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['Expression'], message });
  });

const lfTagResource = z.object({ CatalogId: z.string().optional(), TagKey: name, TagValues: names }).passthrough();
const dataLocationResource = z.object({ CatalogId: z.string().optional(), ResourceArn: name }).passthrough();

/** Resource kinds Lakegate keeps; any other kind (LFTagExpression, a future one) cannot grant reads. */
const KEPT_KINDS = ['Catalog', 'Database', 'Table', 'TableWithColumns', 'DataCellsFilter', 'LFTagPolicy', 'LFTag', 'DataLocation'] as const;

const resource = z
  .object({
    Catalog: z.object({ Id: z.string().optional() }).passthrough().optional(),
    Database: databaseResource.optional(),
    Table: tableResource.optional(),
    TableWithColumns: tableWithColumnsResource.optional(),
    DataCellsFilter: dataCellsFilterResource.optional(),
    LFTagPolicy: lfTagPolicyResource.optional(),
    LFTag: lfTagResource.optional(),
    DataLocation: dataLocationResource.optional(),
  })
  .passthrough()
  .superRefine((value, ctx) => {
    const present = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `a Resource sets exactly one kind, found ${present.length === 0 ? 'none' : present.join(', ')}` });
    }
  });

export const principalResourcePermissionsSchema = z
  .object({
    Principal: z.object({ DataLakePrincipalIdentifier: name }).passthrough(),
    Resource: resource,
    Permissions: names,
    PermissionsWithGrantOption: names.optional(),
    Condition: z.object({ Expression: z.string().optional() }).passthrough().optional(),
  })
  .passthrough()
  .superRefine((grant, ctx) => {
    if (grant.Condition?.Expression) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['Condition', 'Expression'], message: 'conditional grants (a Cedar Condition) are not supported' });
    }
  });

const rowFilter = z.object({ FilterExpression: z.string().optional(), AllRowsWildcard: emptyObject.optional() }).passthrough();

export const dataCellsFilterSchema = z
  .object({
    TableCatalogId: z.string().optional(),
    DatabaseName: name,
    TableName: name,
    Name: name,
    RowFilter: rowFilter.optional(),
    ColumnNames: names.optional(),
    ColumnWildcard: columnWildcard.optional(),
  })
  .passthrough()
  .superRefine((filter, ctx) => {
    const expression = filter.RowFilter?.FilterExpression ?? '';
    if ((expression.trim() === '') === (filter.RowFilter?.AllRowsWildcard === undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['RowFilter'], message: 'set exactly one of RowFilter.FilterExpression or RowFilter.AllRowsWildcard' });
    }
    checkColumns(filter, ctx);
  });

export const lfTagDefinitionSchema = lfTagPair;

/** Columns are `ColumnNames` or `ColumnWildcard`; AWS may send an empty `ColumnNames` beside a wildcard. */
function checkColumns(value: { ColumnNames?: readonly string[] | undefined; ColumnWildcard?: object | undefined }, ctx: z.RefinementCtx): void {
  const listed = (value.ColumnNames ?? []).length > 0;
  if (listed === (value.ColumnWildcard !== undefined)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'set exactly one of ColumnNames (non-empty) or ColumnWildcard' });
  }
}

type RawGrant = z.infer<typeof principalResourcePermissionsSchema>;
type RawResource = z.infer<typeof resource>;
type RawFilter = z.infer<typeof dataCellsFilterSchema>;
type RawPair = z.infer<typeof lfTagPair>;

/**
 * Parses `{PrincipalResourcePermissions:[...]}`. Grants on kinds that cannot grant reads
 * (LFTagExpression, kinds newer than this code) are left out. With `filters`, a grant on a data cells
 * filter that is not among them is an issue (the grant could not be resolved).
 */
export function parsePermissionsDocument(
  document: unknown,
  file: string,
  filters?: readonly DataCellsFilter[],
): Staged<PrincipalResourcePermissions[]> {
  return parseList(document, 'PrincipalResourcePermissions', principalResourcePermissionsSchema, file, (raw, report) => {
    const grant = toPermission(raw);
    const target = grant?.Resource.DataCellsFilter;
    if (filters && target && !filters.some((filter) => sameFilter(filter, target))) {
      report('Resource.DataCellsFilter', `no data cells filter ${target.DatabaseName}.${target.TableName}.${target.Name} is defined`);
    }
    return grant;
  });
}

function sameFilter(filter: DataCellsFilter, target: NonNullable<Resource['DataCellsFilter']>): boolean {
  const catalogs = filter.TableCatalogId === undefined || target.TableCatalogId === undefined || filter.TableCatalogId === target.TableCatalogId;
  return catalogs && filter.DatabaseName === target.DatabaseName && filter.TableName === target.TableName && filter.Name === target.Name;
}

/** Parses `{DataCellsFilters:[...]}`. */
export function parseDataCellsFiltersDocument(document: unknown, file: string): Staged<DataCellsFilter[]> {
  return parseList(document, 'DataCellsFilters', dataCellsFilterSchema, file, toDataCellsFilter);
}

/** Parses `{LFTags:[...]}`. */
export function parseLFTagsDocument(document: unknown, file: string): Staged<LFTagDefinition[]> {
  return parseList(document, 'LFTags', lfTagDefinitionSchema, file, (raw) => ({ ...catalogId(raw.CatalogId), TagKey: raw.TagKey, TagValues: [...raw.TagValues] }));
}

/** Maps one item of a list found at `at`; `report` makes an issue at a path inside the item and leaves the item out. */
export type ItemMapper<S extends z.ZodTypeAny, T> = (raw: z.infer<S>, report: (path: string, message: string) => void, at: string) => T | null;

function parseList<S extends z.ZodTypeAny, T>(document: unknown, key: string, schema: S, file: string, map: ItemMapper<S, T>): Staged<T[]> {
  const outer = z.object({ [key]: z.array(z.unknown()) }).passthrough().safeParse(document);
  if (!outer.success) return { value: [], issues: zodIssues(outer.error, '', file) };
  return parseItems(outer.data[key] as unknown[], key, schema, file, map);
}

/** Checks each item of `items` (found at `prefix` in `file`) on its own: a bad item is an issue at its path and is left out. */
export function parseItems<S extends z.ZodTypeAny, T>(items: readonly unknown[], prefix: string, schema: S, file: string, map: ItemMapper<S, T>): Staged<T[]> {
  const issues: Issue[] = [];
  const values = items.flatMap((item, index) => {
    const at = `${prefix}[${index}]`;
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      issues.push(...zodIssues(parsed.error, at, file));
      return [];
    }
    let reported = false;
    const value = map(parsed.data as z.infer<S>, (path, message) => {
      reported = true;
      issues.push({ file, path: joinPath(at, path), message });
    }, at);
    return value === null || reported ? [] : [value];
  });
  return { value: values, issues };
}

export function zodIssues(error: z.ZodError, prefix: string, file: string): Issue[] {
  return error.issues.map((issue) => ({ file, path: joinPath(prefix, formatZodPath(issue.path)), message: issue.message }));
}

/** `TableList[2]` + `Table.Name` → `TableList[2].Table.Name`; `` + `[2]` → `[2]`. */
function joinPath(prefix: string, inner: string): string {
  if (!inner) return prefix;
  if (!prefix) return inner;
  return inner.startsWith('[') ? `${prefix}${inner}` : `${prefix}.${inner}`;
}

function toPermission(raw: RawGrant): PrincipalResourcePermissions | null {
  const mapped = toResource(raw.Resource);
  if (!mapped) return null;
  return {
    Principal: { DataLakePrincipalIdentifier: raw.Principal.DataLakePrincipalIdentifier },
    Resource: mapped,
    Permissions: [...raw.Permissions],
    PermissionsWithGrantOption: [...(raw.PermissionsWithGrantOption ?? [])],
  };
}

function toResource(raw: RawResource): Resource | null {
  const kind = KEPT_KINDS.find((key) => raw[key] !== undefined);
  switch (kind) {
    case 'Catalog':
      return { Catalog: {} };
    case 'Database':
      return { Database: { ...catalogId(raw.Database!.CatalogId), Name: raw.Database!.Name } };
    case 'Table': {
      const table = raw.Table!;
      const target = table.TableWildcard !== undefined ? { TableWildcard: {} } : { Name: table.Name! };
      return { Table: { ...catalogId(table.CatalogId), DatabaseName: table.DatabaseName, ...target } };
    }
    case 'TableWithColumns': {
      const table = raw.TableWithColumns!;
      return { TableWithColumns: { ...catalogId(table.CatalogId), DatabaseName: table.DatabaseName, Name: table.Name, ...toColumns(table) } };
    }
    case 'DataCellsFilter': {
      const filter = raw.DataCellsFilter!;
      return { DataCellsFilter: { ...tableCatalogId(filter.TableCatalogId), DatabaseName: filter.DatabaseName, TableName: filter.TableName, Name: filter.Name } };
    }
    case 'LFTagPolicy': {
      const policy = raw.LFTagPolicy!;
      return { LFTagPolicy: { ...catalogId(policy.CatalogId), ResourceType: policy.ResourceType, Expression: toPairs(policy.Expression) } };
    }
    case 'LFTag':
      return { LFTag: { ...catalogId(raw.LFTag!.CatalogId), TagKey: raw.LFTag!.TagKey, TagValues: [...raw.LFTag!.TagValues] } };
    case 'DataLocation':
      return { DataLocation: { ...catalogId(raw.DataLocation!.CatalogId), ResourceArn: raw.DataLocation!.ResourceArn } };
    case undefined:
      return null;
  }
}

function toDataCellsFilter(raw: RawFilter): DataCellsFilter {
  const expression = raw.RowFilter?.FilterExpression ?? '';
  return {
    ...tableCatalogId(raw.TableCatalogId),
    DatabaseName: raw.DatabaseName,
    TableName: raw.TableName,
    Name: raw.Name,
    RowFilter: expression.trim() !== '' ? { FilterExpression: expression } : { AllRowsWildcard: {} },
    ...toColumns(raw),
  };
}

function toColumns(raw: { ColumnNames?: string[] | undefined; ColumnWildcard?: { ExcludedColumnNames?: string[] | undefined } | undefined }):
  { ColumnNames: string[] } | { ColumnWildcard: { ExcludedColumnNames: string[] } } {
  if (raw.ColumnWildcard) return { ColumnWildcard: { ExcludedColumnNames: [...(raw.ColumnWildcard.ExcludedColumnNames ?? [])] } };
  return { ColumnNames: [...(raw.ColumnNames ?? [])] };
}

export function toPairs(pairs: readonly RawPair[] | undefined): LFTagPair[] {
  return (pairs ?? []).map((pair) => ({ TagKey: pair.TagKey, TagValues: [...pair.TagValues] }));
}

function catalogId(value: string | undefined): { CatalogId?: string } {
  return value === undefined ? {} : { CatalogId: value };
}

function tableCatalogId(value: string | undefined): { TableCatalogId?: string } {
  return value === undefined ? {} : { TableCatalogId: value };
}
