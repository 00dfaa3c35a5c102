/**
 * The logical query model: one engine-neutral tree used for caller filters, Lake Formation row
 * filters and (later) KPI definitions. It imports nothing of ours; every other stage speaks it.
 */

/** The value kinds a column leaf can hold, independent of any engine's type names. */
export type ValueType =
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'int' }
  | { readonly kind: 'bigint' }
  | { readonly kind: 'float' }
  | { readonly kind: 'double' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp' };

export type ValueKind = ValueType['kind'];

/**
 * A literal as it travels to an engine. bigint and decimal are decimal strings, dates are
 * `YYYY-MM-DD`, timestamps ISO-8601 in UTC; numbers are JS numbers. Never pasted into SQL.
 */
export type LiteralValue = string | number | boolean;

export interface Literal {
  readonly value: LiteralValue;
  readonly type: ValueType;
}

/** A column, or a field inside a struct column: `['device', 'os']`. Names are catalog names. */
export interface ColumnPath {
  readonly kind: 'column';
  readonly path: readonly string[];
}

export type CompareOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

export type Expr =
  | { readonly kind: 'and'; readonly args: readonly Expr[] }
  | { readonly kind: 'or'; readonly args: readonly Expr[] }
  | { readonly kind: 'not'; readonly arg: Expr }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly column: ColumnPath; readonly value: Literal }
  | { readonly kind: 'in'; readonly column: ColumnPath; readonly values: readonly Literal[]; readonly negated: boolean }
  | { readonly kind: 'between'; readonly column: ColumnPath; readonly low: Literal; readonly high: Literal }
  | { readonly kind: 'like'; readonly column: ColumnPath; readonly pattern: Literal; readonly negated: boolean }
  | { readonly kind: 'isNull'; readonly column: ColumnPath; readonly negated: boolean }
  | { readonly kind: 'constant'; readonly value: boolean };

export type ExprKind = Expr['kind'];
export type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;

export type SortDirection = 'asc' | 'desc';
export type NullsOrder = 'first' | 'last';

export type TimeGrain = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Where a query reads from: a catalog table, by its Glue names. */
export interface TableRef {
  readonly database: string;
  readonly table: string;
}

/** A column a caller may read only where `visibleWhen` holds; elsewhere its cells read null. */
export interface ColumnMask {
  readonly column: string;
  readonly visibleWhen: Expr;
}

/**
 * A table as one caller may see it (the policy's output): the authorised columns, the rows
 * any grant reaches (null: all rows) and per-column cell masks. Everything a query does —
 * filter, order, group, join — happens on top of this view, on the masked values.
 */
export interface TableView {
  readonly kind: 'view';
  readonly table: TableRef;
  readonly columns: readonly string[];
  readonly rowFilter: Expr | null;
  readonly masks: readonly ColumnMask[];
}

/** A plain catalog table: what the planner writes, before the policy stage puts a view there. */
export interface TableSource {
  readonly kind: 'table';
  readonly table: TableRef;
}

export type Source = TableSource | TableView;

/** One output column of a row query; `alias` is the key the row carries it under. */
export interface SelectColumn {
  readonly alias: string;
  readonly column: ColumnPath;
}

export interface OrderTerm<T> {
  readonly target: T;
  readonly direction: SortDirection;
  readonly nulls: NullsOrder;
}

/** Keep at most `limit` rows per distinct value of `partitionBy` (one-to-many relations). */
export interface PerKeyLimit {
  readonly partitionBy: ColumnPath;
  readonly limit: number;
}

export interface RowQuery {
  readonly kind: 'rows';
  readonly from: Source;
  readonly select: readonly SelectColumn[];
  readonly where: Expr | null;
  readonly orderBy: readonly OrderTerm<ColumnPath>[];
  readonly limit: number | null;
  readonly offset: number;
  readonly perKeyLimit: PerKeyLimit | null;
}

export type AggregateFn = 'count' | 'countDistinct' | 'sum' | 'avg' | 'min' | 'max';

export interface Measure {
  readonly alias: string;
  readonly fn: AggregateFn;
  /** null only for `count` (all rows). */
  readonly column: ColumnPath | null;
  /** The measured column's type (null for `count`): an integer sum is taken in a wider type. */
  readonly columnType: ValueType | null;
  /** Only rows where this holds are measured (a KPI measure with a filter of its own); null: all rows of the group. */
  readonly filter?: Expr | null;
}

export interface GroupKey {
  readonly alias: string;
  readonly column: ColumnPath;
  /** Set for a time bucket: the column truncated to this grain. */
  readonly grain: TimeGrain | null;
}

/** Aggregate ordering refers to a key or a measure by its alias. */
export interface AliasRef {
  readonly alias: string;
}

/** A calendar or clock shift: whole months, or days, or milliseconds. */
export interface Interval {
  readonly unit: 'month' | 'day' | 'millisecond';
  readonly amount: number;
}

/**
 * Aggregates the current period and a previous one in one query: the rows of each range, the
 * previous period's times moved forward by `shift` so each lands in the bucket it is compared
 * with, and a key (`periodAlias`: 0 current, 1 previous) telling them apart.
 */
export interface PeriodComparison {
  readonly time: ColumnPath;
  readonly current: Expr;
  readonly previous: Expr;
  readonly shift: Interval;
  readonly periodAlias: string;
}

export interface AggregateQuery {
  readonly kind: 'aggregate';
  readonly from: Source;
  readonly where: Expr | null;
  readonly groupBy: readonly GroupKey[];
  readonly measures: readonly Measure[];
  readonly orderBy: readonly OrderTerm<AliasRef>[];
  readonly limit: number | null;
  readonly offset: number;
  /** Set for a comparison with a previous period (KPIs' compareTo). */
  readonly compare?: PeriodComparison | null;
}

export type LogicalQuery = RowQuery | AggregateQuery;
