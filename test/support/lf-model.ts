/**
 * The small random lake of the Lake Formation differential test: one table `shop.items`, its
 * rows, and the Lake Formation setups and caller queries the test generates. Plain data only;
 * rendering to AWS shapes lives in lf-exports.ts, the reference evaluator in lf-reference.ts.
 */

export const CATALOG_ID = '111122223333';
export const DATABASE = 'shop';
export const TABLE = 'items';

export const PRINCIPAL_A = `arn:aws:iam::${CATALOG_ID}:role/A`;
export const PRINCIPAL_B = `arn:aws:iam::${CATALOG_ID}:role/B`;
export const PRINCIPAL_C = `arn:aws:iam::${CATALOG_ID}:role/C`;
export const EVERYONE = 'IAM_ALLOWED_PRINCIPALS';
/** What the `tester` dev role maps to (role claim → A, groups claim ["B"] → B). */
export const CALLER_PRINCIPALS: readonly string[] = [PRINCIPAL_A, PRINCIPAL_B];
export const ALL_PRINCIPALS: readonly string[] = [PRINCIPAL_A, PRINCIPAL_B, PRINCIPAL_C, EVERYONE];

export type Col = 'id' | 'region' | 'price' | 'qty' | 'label';
/** Table order, as in the Glue definition. */
export const COLUMNS: readonly Col[] = ['id', 'region', 'price', 'qty', 'label'];
export type Kind = 'bigint' | 'string' | 'decimal' | 'int';
export const KIND: Readonly<Record<Col, Kind>> = { id: 'bigint', region: 'string', price: 'decimal', qty: 'int', label: 'string' };
export const HIVE_TYPE: Readonly<Record<Col, string>> = { id: 'bigint', region: 'string', price: 'decimal(10,2)', qty: 'int', label: 'string' };
export const NUMERIC: ReadonlySet<Col> = new Set<Col>(['id', 'price', 'qty']);

/** One cell value as the API returns it: bigint and decimal as strings, int as a number. */
export type Value = string | number | null;

/** A raw row: id as a decimal string (may exceed 2^53), price as a decimal string with 2 digits. */
export interface Row {
  readonly id: string;
  readonly region: string | null;
  readonly price: string | null;
  readonly qty: number | null;
  readonly label: string;
}
/** A row as a caller sees it: only its visible columns, masked cells null. */
export type MaskedRow = Partial<Record<Col, Value>>;

// ---------------------------------------------------------------------------------------------
// Row filter expressions of data cells filters (the PartiQL subset of LAKE_FORMATION.md).

export type FilterCol = 'id' | 'region' | 'price' | 'qty';
export const FILTER_COLUMNS: readonly FilterCol[] = ['id', 'region', 'price', 'qty'];
export type CmpOp = '=' | '<>' | '!=' | '>' | '<' | '>=' | '<=';

/** A constant as written: a string's value, or a number's digits. */
export interface Const {
  readonly kind: 'string' | 'number';
  readonly text: string;
}

export type Pred =
  | { readonly kind: 'cmp'; readonly col: FilterCol; readonly op: CmpOp; readonly value: Const }
  | { readonly kind: 'in'; readonly col: FilterCol; readonly values: readonly Const[] }
  | { readonly kind: 'between'; readonly col: FilterCol; readonly low: Const; readonly high: Const }
  | { readonly kind: 'isNull'; readonly col: FilterCol; readonly negated: boolean }
  | { readonly kind: 'like'; readonly col: 'region'; readonly pattern: string }
  | { readonly kind: 'not'; readonly arg: Pred }
  | { readonly kind: 'and' | 'or'; readonly args: readonly Pred[] };

// ---------------------------------------------------------------------------------------------
// Lake Formation setups.

export type TagKey = 'sensitivity' | 'domain';
export const TAG_VALUES: Readonly<Record<TagKey, readonly string[]>> = {
  sensitivity: ['public', 'pii', 'secret'],
  domain: ['shop', 'finance'],
};
export const TAG_KEYS: readonly TagKey[] = ['sensitivity', 'domain'];
export type TagAssignment = Partial<Record<TagKey, string>>;

export interface TagSetup {
  readonly database: TagAssignment;
  readonly table: TagAssignment;
  readonly columns: Partial<Record<Col, TagAssignment>>;
  /** `effective`: each level repeats what it inherits (get-resource-lf-tags); `assigned`: own tags only. */
  readonly style: 'effective' | 'assigned';
}

export type ColumnSpec = { readonly names: readonly Col[] } | { readonly excluded: readonly Col[] };

export interface CellsFilterSpec {
  readonly name: string;
  /** null: AllRowsWildcard. */
  readonly row: Pred | null;
  /** Layout choices for printing `row` (keyword case, optional parentheses, quoting). */
  readonly style: number;
  readonly columns: ColumnSpec;
}

export type ResourceSpec =
  | { readonly kind: 'table' }
  | { readonly kind: 'tableWildcard' }
  | { readonly kind: 'columns'; readonly columns: ColumnSpec }
  | { readonly kind: 'cellsFilter'; readonly filter: number }
  | { readonly kind: 'tagPolicy'; readonly expression: readonly { readonly key: TagKey; readonly values: readonly string[] }[] };

export interface PermissionSpec {
  readonly principal: string;
  readonly permissions: readonly string[];
  readonly resource: ResourceSpec;
  /** Leave CatalogId out (exports without one are in the configured catalog). */
  readonly omitCatalogId: boolean;
}

export interface Setup {
  readonly permissions: readonly PermissionSpec[];
  /** Defined data cells filters; a `cellsFilter` resource names one by index. */
  readonly filters: readonly CellsFilterSpec[];
  readonly tags: TagSetup;
}

// ---------------------------------------------------------------------------------------------
// Caller queries.

/** A caller filter in the API's input shape: `{ price: { gt: "1.5" }, or: [...], not: {...} }`. */
export type UserFilter = { readonly [key: string]: unknown };

export type Direction = 'ASC' | 'DESC' | 'ASC_NULLS_FIRST' | 'ASC_NULLS_LAST' | 'DESC_NULLS_FIRST' | 'DESC_NULLS_LAST';

export interface RowQuery {
  readonly kind: 'rows';
  readonly fields: readonly Col[];
  readonly where: UserFilter | null;
  readonly orderBy: readonly { readonly col: Col; readonly direction: Direction }[];
}

export interface AggregateQuery {
  readonly kind: 'aggregate';
  readonly where: UserFilter | null;
  readonly groupBy: readonly Col[];
  /** Fields asked under `key` (the groupBy ones, maybe one more that reads null). */
  readonly keyFields: readonly Col[];
  readonly count: boolean;
  readonly countDistinct: readonly Col[];
  readonly sum: readonly Col[];
  readonly min: readonly Col[];
  readonly max: readonly Col[];
}

export type CallerQuery = RowQuery | AggregateQuery;
