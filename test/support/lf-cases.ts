import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseHiveType } from '../../src/catalog/hive-type';
import type { Dataset, GlueColumn, GlueTable, Issue } from '../../src/catalog/types';
import { resolveEntitlement, type Entitlement } from '../../src/policy/entitlement';
import { expandGrants } from '../../src/policy/grants';
import type {
  DataCellsFilter, LakeFormationSnapshot, LFTagPair, PrincipalResourcePermissions, Resource, TableTags,
} from '../../src/policy/lf-types';
import { applyPolicy } from '../../src/policy/rewrite';
import { column } from '../../src/query/expr';
import type { RowQuery, TableView } from '../../src/query/types';
import { compileQuery } from '../../src/sql/compiler';
import { duckdbDialect } from '../../src/sql/duckdb';

/**
 * The fixture behind test/unit/lf-cases.test.ts: one small hand-written table `shop.orders` in an
 * in-memory DuckDB, its Glue table and dataset, builders for Lake Formation snapshot pieces, and
 * `evaluate`, which runs a snapshot through expandGrants → resolveEntitlement → applyPolicy →
 * compileQuery → DuckDB and returns what the caller would see.
 */

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const ANALYST = `arn:aws:iam::${ACCOUNT}:role/Analyst`;
export const OTHER = `arn:aws:iam::${ACCOUNT}:role/Other`;
export const GUEST = `arn:aws:iam::${ACCOUNT}:role/Guest`;
export const EU_GROUP = 'arn:aws:identitystore:::group/eu-analysts';

function glueColumn(name: string, typeText: string, partitionKey = false): GlueColumn {
  const parsed = parseHiveType(typeText);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
  return { name, type: parsed.type, typeText, comment: null, partitionKey };
}

export const ORDERS_TABLE: GlueTable = {
  database: 'shop',
  name: 'orders',
  description: 'Hand-written orders for the Lake Formation cases',
  location: 's3://lake/shop/orders/',
  format: 'parquet',
  columns: [
    glueColumn('order_id', 'bigint'),
    glueColumn('region', 'string'),
    glueColumn('amount', 'decimal(10,2)'),
    glueColumn('status', 'string'),
    glueColumn('customer', 'struct<name:string,tier:string>'),
    glueColumn('dt', 'string', true),
  ],
};

export const ALL_COLUMNS = ORDERS_TABLE.columns.map((col) => col.name);

export const ORDERS_DATASET: Dataset = {
  name: 'orders',
  typeName: 'Order',
  description: 'Orders',
  table: { database: 'shop', table: 'orders' },
  location: ORDERS_TABLE.location,
  format: 'parquet',
  columns: ORDERS_TABLE.columns.map((col) => ({
    name: col.name,
    field: col.name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
    type: col.type,
    typeText: col.typeText,
    description: '',
    partitionKey: col.partitionKey,
  })),
  primaryKey: ['order_id'],
  relations: [],
  engines: ['local'],
  slaBound: false,
  preferredEngine: null,
    cacheTtlMs: null,
  requirePartitionFilter: false,
};

/**
 * The raw table. Row 5 has no region, row 6 no amount, row 7 a customer without a tier.
 *   id region amount  status    customer         dt
 *   1  EU     10.50   paid      ana  gold        2024-01-01
 *   2  US     20.00   paid      ben  silver      2024-01-01
 *   3  EU     30.25   refunded  cho  gold        2024-01-02
 *   4  APAC   40.00   paid      dev  bronze      2024-01-02
 *   5  null   50.00   pending   eli  gold        2024-01-03
 *   6  US     null    paid      fay  silver      2024-01-03
 *   7  EU     70.00   pending   gus  null        2024-01-04
 *   8  APAC   80.75   paid      hal  gold        2024-01-04
 */
const SETUP_SQL = `
CREATE SCHEMA shop;
CREATE TABLE shop.orders (
  order_id BIGINT, region VARCHAR, amount DECIMAL(10,2), status VARCHAR,
  customer STRUCT(name VARCHAR, tier VARCHAR), dt VARCHAR
);
INSERT INTO shop.orders VALUES
  (1, 'EU',   10.50, 'paid',     {'name': 'ana', 'tier': 'gold'},   '2024-01-01'),
  (2, 'US',   20.00, 'paid',     {'name': 'ben', 'tier': 'silver'}, '2024-01-01'),
  (3, 'EU',   30.25, 'refunded', {'name': 'cho', 'tier': 'gold'},   '2024-01-02'),
  (4, 'APAC', 40.00, 'paid',     {'name': 'dev', 'tier': 'bronze'}, '2024-01-02'),
  (5, NULL,   50.00, 'pending',  {'name': 'eli', 'tier': 'gold'},   '2024-01-03'),
  (6, 'US',   NULL,  'paid',     {'name': 'fay', 'tier': 'silver'}, '2024-01-03'),
  (7, 'EU',   70.00, 'pending',  {'name': 'gus', 'tier': NULL},     '2024-01-04'),
  (8, 'APAC', 80.75, 'paid',     {'name': 'hal', 'tier': 'gold'},   '2024-01-04');
`;

export interface OrdersDb {
  readonly connection: DuckDBConnection;
  close(): void;
}

export async function openOrdersDb(): Promise<OrdersDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(SETUP_SQL);
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

// ---- snapshot builders ---------------------------------------------------------------------

export function snapshot(parts: Partial<LakeFormationSnapshot>): LakeFormationSnapshot {
  return { permissions: [], dataCellsFilters: [], tableTags: [], tagDefinitions: [], ...parts };
}

export function grant(principal: string, resource: Resource, permissions: readonly string[] = ['SELECT']): PrincipalResourcePermissions {
  return { Principal: { DataLakePrincipalIdentifier: principal }, Resource: resource, Permissions: permissions, PermissionsWithGrantOption: [] };
}

export const onTable = (name = 'orders', catalogId = ACCOUNT): Resource => ({ Table: { CatalogId: catalogId, DatabaseName: 'shop', Name: name } });
export const onAllTables = (): Resource => ({ Table: { CatalogId: ACCOUNT, DatabaseName: 'shop', TableWildcard: {} } });
export const onColumns = (names: readonly string[]): Resource => ({ TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'shop', Name: 'orders', ColumnNames: names } });
export const onColumnsExcept = (excluded: readonly string[]): Resource => ({
  TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'shop', Name: 'orders', ColumnWildcard: { ExcludedColumnNames: excluded } },
});
export const onFilter = (name: string, catalogId = ACCOUNT): Resource => ({ DataCellsFilter: { TableCatalogId: catalogId, DatabaseName: 'shop', TableName: 'orders', Name: name } });
export const onTagPolicy = (expression: readonly LFTagPair[]): Resource => ({ LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: expression } });

/** A data cells filter on shop.orders: a row filter expression (or `'*'` for AllRowsWildcard) and columns (or `{ except }`). */
export function cellsFilter(name: string, rows: string, columns: readonly string[] | { except: readonly string[] }, catalogId = ACCOUNT): DataCellsFilter {
  return {
    TableCatalogId: catalogId,
    DatabaseName: 'shop',
    TableName: 'orders',
    Name: name,
    RowFilter: rows === '*' ? { AllRowsWildcard: {} } : { FilterExpression: rows },
    ...(Array.isArray(columns) ? { ColumnNames: columns as readonly string[] } : { ColumnWildcard: { ExcludedColumnNames: (columns as { except: readonly string[] }).except } }),
  };
}

export const tag = (key: string, ...values: string[]): LFTagPair => ({ TagKey: key, TagValues: values });

export function ordersTags(parts: Omit<TableTags, 'database' | 'table'>): TableTags {
  return { database: 'shop', table: 'orders', ...parts };
}

// ---- evaluation ------------------------------------------------------------------------------

export type Cell = string | null | { readonly name: string; readonly tier: string | null };

export interface Outcome {
  readonly issues: readonly Issue[];
  readonly entitlement: Entitlement;
  /** read: a view exists; describe: listed only; none: the table does not exist for the caller. */
  readonly access: 'read' | 'describe' | 'none';
  readonly view: TableView | undefined;
  /** Columns of the caller's cut dataset (what "select all" gives). */
  readonly columns: readonly string[];
  /** The rows the caller reads (ordered by order_id), as tuples in `columns` order. */
  readonly rows: readonly (readonly Cell[])[];
  readonly sql: string | null;
}

export async function evaluate(connection: DuckDBConnection, lf: LakeFormationSnapshot, principals: readonly string[]): Promise<Outcome> {
  const grants = expandGrants(lf, [ORDERS_TABLE], ACCOUNT);
  const entitlement = resolveEntitlement({ tables: [ORDERS_TABLE], datasets: [ORDERS_DATASET], kpis: [] }, grants.value, principals);
  const view = entitlement.views.get('orders');
  const listed = entitlement.describeOnly.some((dataset) => dataset.name === 'orders');
  const dataset = entitlement.catalog.datasets.find((candidate) => candidate.name === 'orders');
  if (!view) {
    assert.equal(dataset, undefined, 'a dataset without a view must not be in the caller\'s catalog');
    return { issues: grants.issues, entitlement, access: listed ? 'describe' : 'none', view, columns: [], rows: [], sql: null };
  }
  assert.ok(dataset, 'a readable dataset is in the caller\'s catalog');
  assert.equal(listed, false, 'a readable dataset is not also describe-only');
  const columns = dataset.columns.map((col) => col.name);
  const query: RowQuery = {
    kind: 'rows',
    from: { kind: 'table', table: dataset.table },
    select: columns.map((name) => ({ alias: name, column: column(name) })),
    where: null,
    orderBy: [{ target: column('order_id'), direction: 'asc', nulls: 'last' }],
    limit: null,
    offset: 0,
    perKeyLimit: null,
  };
  const compiled = compileQuery(applyPolicy(query, view), duckdbDialect);
  const reader = await connection.runAndReadAll(compiled.sql, compiled.params.map((param) => param.value));
  const objects = reader.getRowObjectsJson() as Record<string, Cell>[];
  for (const row of objects) assert.deepEqual(Object.keys(row), columns, 'each row carries exactly the visible columns');
  return {
    issues: grants.issues,
    entitlement,
    access: 'read',
    view,
    columns,
    rows: objects.map((row) => columns.map((name) => row[name] ?? null)),
    sql: compiled.sql,
  };
}
