import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * The throughput bench's own PostgreSQL data, standing in for a Redshift table: 1M transactions
 * and 50k customers, indexed as a production table would be for the bench's reads, and the
 * curation file, Glue export and Lake Formation exports that serve them through the
 * Redshift-over-pg engine. `engineer` reads the tables whole; `analyst` through a data cells
 * filter (a row filter and an excluded column).
 */
export const THROUGHPUT_DATABASE = 'lakegate_bench_throughput';
const SCHEMA = 'bench_sales';
const TRANSACTIONS = 1_000_000;
const CUSTOMERS = 50_000;
const CATALOG_ID = '111122223333';
export const ADMIN = { host: process.env['PGHOST'] ?? '127.0.0.1', port: Number(process.env['PGPORT'] ?? 5432), user: process.env['PGUSER'] ?? 'postgres' };

/** Creates and fills the database once (kept between runs: filling takes a while). */
export async function ensureThroughputData(): Promise<void> {
  const admin = new pg.Client({ ...ADMIN, database: 'postgres' });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [THROUGHPUT_DATABASE])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${THROUGHPUT_DATABASE}`);
  await admin.end();
  const client = new pg.Client({ ...ADMIN, database: THROUGHPUT_DATABASE });
  await client.connect();
  try {
    const filled = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`, [SCHEMA]);
    if (filled.rows[0].n === 2 && Number((await client.query(`SELECT count(*) AS n FROM ${SCHEMA}.transactions`)).rows[0].n) === TRANSACTIONS) return;
    process.stderr.write(`filling ${THROUGHPUT_DATABASE} (${TRANSACTIONS.toLocaleString()} transactions; once) ...\n`);
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
    await client.query(`CREATE TABLE ${SCHEMA}.customers (customer_id bigint PRIMARY KEY, name text, country text, segment text)`);
    await client.query(`INSERT INTO ${SCHEMA}.customers SELECT i, 'Customer ' || i, (ARRAY['JP','US','DE','FR','GB'])[1 + i % 5], (ARRAY['consumer','smb','enterprise'])[1 + i % 3]
      FROM generate_series(1, ${CUSTOMERS}) AS i`);
    await client.query(`CREATE TABLE ${SCHEMA}.transactions (transaction_id bigint PRIMARY KEY, customer_id bigint, amount numeric(12,2), currency text,
      status text, channel text, ts timestamp, dt date)`);
    await client.query(`INSERT INTO ${SCHEMA}.transactions
      SELECT i, 1 + (i::bigint * 7919) % ${CUSTOMERS}, ((i::bigint * 3779) % 500000) / 100.0,
        (ARRAY['EUR','USD','JPY','GBP'])[1 + i % 4], (ARRAY['completed','refunded','failed','pending'])[1 + (i / 7) % 4],
        (ARRAY['web','app','store',NULL])[1 + (i / 3) % 4], timestamp '2024-01-01' + i * interval '7 seconds', (timestamp '2024-01-01' + i * interval '7 seconds')::date
      FROM generate_series(1, ${TRANSACTIONS}) AS i`);
    await client.query(`CREATE INDEX ON ${SCHEMA}.transactions (channel, transaction_id)`);
    await client.query(`CREATE INDEX ON ${SCHEMA}.transactions (customer_id)`);
    await client.query(`CREATE INDEX ON ${SCHEMA}.transactions (ts)`);
    await client.query(`ANALYZE ${SCHEMA}.transactions`);
    await client.query(`ANALYZE ${SCHEMA}.customers`);
  } finally {
    await client.end();
  }
}

const COLUMNS = {
  transactions: [['transaction_id', 'bigint'], ['customer_id', 'bigint'], ['amount', 'decimal(12,2)'], ['currency', 'string'], ['status', 'string'], ['channel', 'string'], ['ts', 'timestamp'], ['dt', 'date']],
  customers: [['customer_id', 'bigint'], ['name', 'string'], ['country', 'string'], ['segment', 'string']],
} as const;

/** Writes the curation file and exports into a temporary folder; returns the curation file. */
export function writeThroughputConfig(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-throughput-'));
  mkdirSync(path.join(dir, 'glue'));
  mkdirSync(path.join(dir, 'lakeformation'));
  const json = (file: string, document: unknown): void => writeFileSync(path.join(dir, file), JSON.stringify(document, null, 2));
  json('glue/sales.json', {
    TableList: Object.entries(COLUMNS).map(([table, columns]) => ({
      Name: table, DatabaseName: 'sales', Parameters: { classification: 'parquet' }, PartitionKeys: [],
      StorageDescriptor: { Columns: columns.map(([name, type]) => ({ Name: name, Type: type })), Location: `s3://bench/sales/${table}/` },
    })),
  });
  const role = (name: string): string => `arn:aws:iam::${CATALOG_ID}:role/${name}`;
  json('lakeformation/list-data-cells-filter.json', {
    DataCellsFilters: [{
      TableCatalogId: CATALOG_ID, DatabaseName: 'sales', TableName: 'transactions', Name: 'no_refunds',
      RowFilter: { FilterExpression: "status <> 'refunded'" }, ColumnWildcard: { ExcludedColumnNames: ['currency'] },
    }],
  });
  json('lakeformation/list-permissions.json', {
    PrincipalResourcePermissions: [
      { Principal: { DataLakePrincipalIdentifier: role('Engineer') }, Resource: { Table: { CatalogId: CATALOG_ID, DatabaseName: 'sales', TableWildcard: {} } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: role('Analyst') }, Resource: { DataCellsFilter: { TableCatalogId: CATALOG_ID, DatabaseName: 'sales', TableName: 'transactions', Name: 'no_refunds' } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: role('Analyst') }, Resource: { Table: { CatalogId: CATALOG_ID, DatabaseName: 'sales', Name: 'customers' } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
    ],
  });
  writeFileSync(path.join(dir, 'lakegate.yaml'), `catalog:
  glue:
    files: [glue/sales.json]
engines:
  redshift:
    mode: pg
    connectionString: "postgres://${ADMIN.user}@${ADMIN.host}:${ADMIN.port}/${THROUGHPUT_DATABASE}"
    maxConnections: 10
    schemas: { sales: ${SCHEMA} }
limits:
  # One caller at 32 connections is the bench's load, not abuse.
  requestsPerWindow: 0
  concurrentQueriesPerCaller: 0
auth:
  issuer: lakegate-bench
  audience: lakegate
  principals:
    - { claim: role, equals: engineer, principals: ["${role('Engineer')}"] }
    - { claim: role, equals: analyst, principals: ["${role('Analyst')}"] }
  devRoles:
    engineer: { role: engineer }
    analyst: { role: analyst }
lakeFormation:
  catalogId: "${CATALOG_ID}"
  files:
    permissions: lakeformation/list-permissions.json
    dataCellsFilters: lakeformation/list-data-cells-filter.json
datasets:
  - name: transactions
    type: Transaction
    table: sales.transactions
    primaryKey: [transaction_id]
    relations:
      customer: { dataset: customers, kind: one, on: { customer_id: customer_id } }
  - name: customers
    type: Customer
    table: sales.customers
    primaryKey: [customer_id]
kpis:
  - name: orders
    dataset: transactions
    measure: count
    time: ts
    dimensions: [channel]
    freshness: 1h
`);
  return path.join(dir, 'lakegate.yaml');
}
