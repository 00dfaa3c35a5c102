import type { AggregateFn, TableRef, TimeGrain, ValueType } from '../query/types';

/** A Hive/Glue column type, parsed from its type string (`array<struct<name:string>>`). */
export type HiveType =
  | { readonly kind: 'scalar'; readonly value: ValueType; readonly text: string }
  | { readonly kind: 'struct'; readonly fields: readonly HiveField[] }
  | { readonly kind: 'array'; readonly element: HiveType }
  | { readonly kind: 'map'; readonly key: HiveType; readonly value: HiveType };

export interface HiveField {
  readonly name: string;
  readonly type: HiveType;
}

export type StorageFormat = 'parquet' | 'json' | 'csv';

export interface GlueColumn {
  readonly name: string;
  readonly type: HiveType;
  readonly typeText: string;
  readonly comment: string | null;
  readonly partitionKey: boolean;
}

/** One table as Glue describes it, partition keys included as ordinary (flagged) columns. */
export interface GlueTable {
  readonly database: string;
  readonly name: string;
  readonly description: string | null;
  readonly location: string;
  readonly format: StorageFormat;
  readonly columns: readonly GlueColumn[];
}

/** A column as the API exposes it. `name` is the catalog name, `field` the GraphQL name. */
export interface DatasetColumn {
  readonly name: string;
  readonly field: string;
  readonly type: HiveType;
  readonly typeText: string;
  readonly description: string;
  readonly partitionKey: boolean;
}

export type RelationKind = 'one' | 'many';

export interface Relation {
  readonly field: string;
  readonly kind: RelationKind;
  readonly target: string;
  /** Column of this dataset → column of the target dataset. */
  readonly from: string;
  readonly to: string;
  readonly description: string;
}

export interface Dataset {
  /** Query field name, e.g. `transactions`. */
  readonly name: string;
  /** GraphQL type name, e.g. `Transaction`. */
  readonly typeName: string;
  readonly description: string;
  readonly table: TableRef;
  readonly location: string;
  readonly format: StorageFormat;
  readonly columns: readonly DatasetColumn[];
  readonly primaryKey: readonly string[];
  readonly relations: readonly Relation[];
  /** Engines holding the table. */
  readonly engines: readonly string[];
  /** Routed to the SLA engine rather than the ad-hoc one. */
  readonly slaBound: boolean;
  /** The curation file's explicit engine choice, if any. */
  readonly preferredEngine: string | null;
  /** How long answers of this dataset's reads may be served from the result cache; null: not cached. */
  readonly cacheTtlMs: number | null;
  /** Every engine query on it must filter a partition column so partitions can be skipped (else LIMIT_EXCEEDED before it runs). */
  readonly requirePartitionFilter: boolean;
}

/** A column or a field inside a struct column, resolved against a dataset. */
export interface ColumnRef {
  /** Catalog names, e.g. `['device', 'os']`. */
  readonly path: readonly string[];
  readonly type: ValueType;
}

/** One aggregate over a dataset, with an optional filter of its own (in the API's `where` syntax, coerced at load). */
export interface KpiAggregate {
  readonly fn: AggregateFn;
  /** null for `count` of rows. */
  readonly column: ColumnRef | null;
  readonly where: Readonly<Record<string, unknown>> | null;
}

export type KpiMeasure =
  | { readonly kind: 'aggregate'; readonly aggregate: KpiAggregate }
  /** The ratio of two other KPIs' measures over the same dataset and time column, computed in one query. */
  | { readonly kind: 'ratio'; readonly numerator: string; readonly denominator: string; readonly parts: readonly [KpiAggregate, KpiAggregate] };

/** A dimension a KPI may be grouped and filtered by. */
export interface KpiDimension extends ColumnRef {
  /** Field on the point type and in the `where` input (`deviceOs`). */
  readonly field: string;
  /** Value of the `<Kpi>Dimension` enum (`DEVICE_OS`). */
  readonly enumValue: string;
  readonly description: string;
}

/** An ISO-8601 duration (`P30D`, `P12M`, `PT6H`): calendar months, days and clock time kept apart. */
export interface CalendarSpan {
  readonly months: number;
  readonly days: number;
  readonly milliseconds: number;
}

export interface KpiThreshold {
  readonly above: number | null;
  readonly below: number | null;
  /** Only points with these dimension values (by dimension field); empty: every point. */
  readonly dimensions: Readonly<Record<string, string | number | boolean>>;
  readonly message: string | null;
}

/** A curated metric: one measure over one dataset, with its time axis, dimensions and freshness. */
export interface Kpi {
  /** Field under `kpis` (and under `Subscription`). */
  readonly name: string;
  /** Prefix of its generated type names (`Revenue` → `RevenuePoint`). */
  readonly typeName: string;
  readonly description: string;
  readonly unit: string;
  readonly format: string | null;
  readonly dataset: string;
  readonly measure: KpiMeasure;
  readonly time: ColumnRef;
  readonly grains: readonly TimeGrain[];
  readonly defaultRange: CalendarSpan;
  readonly dimensions: readonly KpiDimension[];
  readonly freshnessMs: number;
  /** Routed to the SLA engine; otherwise the KPI follows its dataset. */
  readonly slaBound: boolean;
  /** Recomputed in the background this often while someone asked within `keepWarmMs`; null: on demand only. */
  readonly refreshMs: number | null;
  readonly keepWarmMs: number;
  readonly thresholds: readonly KpiThreshold[];
  /** Top-level catalog columns it reads (measure, its filter, time, dimensions): a caller must be able to read all of them. */
  readonly reads: readonly string[];
}

export interface Catalog {
  readonly tables: readonly GlueTable[];
  readonly datasets: readonly Dataset[];
  readonly kpis: readonly Kpi[];
}

/** A problem found while loading configuration, named by its place in the input. */
export interface Issue {
  readonly path: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

export interface Staged<T> {
  readonly value: T;
  readonly issues: readonly Issue[];
}
