import type { TableRef, ValueType } from '../query/types';

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
}

export interface Catalog {
  readonly tables: readonly GlueTable[];
  readonly datasets: readonly Dataset[];
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
