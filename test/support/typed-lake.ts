import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Client } from 'pg';
import { glueGetTables } from './glue-json';
import { seededRandom } from './lf-lake';
import { redshiftPgConfig } from './redshift-lake';

/**
 * A small lake of awkward typed values, `lab.samples`, for checking query semantics against plain
 * SQL: doubles at the edges (±1e300, ±2^63, -0.0, subnormals), bigints near ±2^63, decimal(38,6),
 * dates, booleans, strings with LIKE metacharacters, and a map column. It is served by two
 * datasets over the same rows: `samples` on the embedded engine (one Parquet file) and
 * `samplesPg` on PostgreSQL through the Redshift dialect (the same rows in a table; no map there,
 * PostgreSQL has none).
 */

export const TYPED_DATABASE = 'lab';
export const TYPED_TABLE = 'samples';
export const TYPED_PG_SCHEMA = 'lakegate_typed_test';
const CATALOG_ID = '111122223333';

export interface TypedRow {
  readonly id: string;
  readonly ratio: number | null;
  readonly big: string | null;
  readonly price: string | null;
  readonly day: string | null;
  readonly flag: boolean | null;
  readonly label: string | null;
  readonly tags: Readonly<Record<string, number>> | null;
  /** decimal(38,0): two rows of 9e37, so their sum leaves the type on engines with 38 digits. */
  readonly huge: string | null;
}

/** Column → Glue type; the order of the table. */
export const TYPED_COLUMNS = {
  id: 'bigint',
  ratio: 'double',
  big: 'bigint',
  price: 'decimal(38,6)',
  day: 'date',
  flag: 'boolean',
  label: 'string',
  tags: 'map<string,int>',
  huge: 'decimal(38,0)',
} as const;

export type TypedColumn = keyof typeof TYPED_COLUMNS;

const MAX_BIGINT = 2n ** 63n - 1n;
export const DOUBLES: readonly number[] = [
  1e300, -1e300, 2 ** 63, -(2 ** 63), 2 ** 64, 1e19, 2 ** 53 + 2, -0, 0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 0.1, 1.5, -2.25, 123456.789,
];
export const BIGINTS: readonly string[] = [MAX_BIGINT, -MAX_BIGINT - 1n, MAX_BIGINT - 1n, -MAX_BIGINT, 9007199254740993n, 0n, 1n, -1n, 42n].map(String);
export const DECIMALS: readonly string[] = [
  '12345678901234.123456', '-99999999999999.999999', '0.000001', '-0.000001', '0.000000', '1.500000', '31.415926', '100.000000',
];
export const DATES: readonly string[] = ['1900-01-01', '1970-01-01', '2024-02-29', '2024-03-01', '2024-03-31', '2099-12-31'];
export const LABELS: readonly string[] = ['alpha', 'Alpha', '', '100%', 'a_b', "o'k", 'ü', 'back\\slash'];

export function generateTypedRows(count: number, seed: number): TypedRow[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const orNull = <T>(value: () => T): T | null => (random() < 0.15 ? null : value());
  // The two largest bigints appear at least twice each, so a sum leaves the 64-bit range both ways.
  const forcedBig = [MAX_BIGINT, MAX_BIGINT, -MAX_BIGINT - 1n, -MAX_BIGINT - 1n, -MAX_BIGINT - 1n].map(String);
  return Array.from({ length: count }, (_, index) => ({
    id: String(index + 1),
    ratio: orNull(() => (random() < 0.7 ? pick(DOUBLES) : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20))),
    big: index < forcedBig.length ? forcedBig[index]! : orNull(() => pick(BIGINTS)),
    price: orNull(() => pick(DECIMALS)),
    day: orNull(() => pick(DATES)),
    flag: orNull(() => random() < 0.5),
    label: orNull(() => pick(LABELS)),
    tags: orNull(() => Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, (_, i) => [`k${i}`, Math.floor(random() * 100)]))),
    huge: index < 2 ? `9${'0'.repeat(37)}` : index % 5 === 0 ? String(index) : null,
  }));
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A double as DuckDB SQL that reads back as exactly this number (sign of zero included). */
export function doubleSql(value: number): string {
  return `CAST(${sqlString(Object.is(value, -0) ? '-0.0' : String(value))} AS DOUBLE)`;
}

function duckdbRow(row: TypedRow): string {
  const map = row.tags === null
    ? 'NULL'
    : `MAP {${Object.entries(row.tags).map(([key, value]) => `${sqlString(key)}: ${value}`).join(', ')}}::MAP(VARCHAR, INTEGER)`;
  return `(${[
    row.id,
    row.ratio === null ? 'NULL' : doubleSql(row.ratio),
    row.big === null ? 'NULL' : `CAST(${sqlString(row.big)} AS BIGINT)`,
    row.price === null ? 'NULL' : `CAST(${sqlString(row.price)} AS DECIMAL(38,6))`,
    row.day === null ? 'NULL' : `DATE ${sqlString(row.day)}`,
    row.flag === null ? 'NULL' : String(row.flag),
    row.label === null ? 'NULL' : sqlString(row.label),
    map,
    row.huge === null ? 'NULL' : `CAST(${sqlString(row.huge)} AS DECIMAL(38,0))`,
  ].join(', ')})`;
}

async function writeParquet(rows: readonly TypedRow[], file: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run('CREATE TABLE samples (id BIGINT, ratio DOUBLE, big BIGINT, price DECIMAL(38,6), day DATE, flag BOOLEAN, label VARCHAR, tags MAP(VARCHAR, INTEGER), huge DECIMAL(38,0))');
    await connection.run(`INSERT INTO samples VALUES ${rows.map(duckdbRow).join(',\n')}`);
    await connection.run(`COPY samples TO ${sqlString(file)} (FORMAT PARQUET)`);
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** The same rows in PostgreSQL (the Redshift stand-in), without the map column. */
async function writePg(client: Client, rows: readonly TypedRow[]): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${TYPED_PG_SCHEMA} CASCADE`);
  await client.query(`CREATE SCHEMA ${TYPED_PG_SCHEMA}`);
  await client.query(`CREATE TABLE ${TYPED_PG_SCHEMA}.${TYPED_TABLE} (id bigint PRIMARY KEY, ratio double precision, big bigint, price numeric(38,6), day date, flag boolean, label text, huge numeric(38,0))`);
  for (const row of rows) {
    await client.query(`INSERT INTO ${TYPED_PG_SCHEMA}.${TYPED_TABLE} VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      row.id, row.ratio === null ? null : Object.is(row.ratio, -0) ? '-0' : String(row.ratio), row.big, row.price, row.day, row.flag, row.label, row.huge,
    ]);
  }
}

function curationYaml(): string {
  const { host, port, user, database } = redshiftPgConfig();
  // Redshift sessions lex strings without standard_conforming_strings and run in UTC.
  const options = encodeURIComponent('-c standard_conforming_strings=off -c escape_string_warning=off -c TimeZone=UTC');
  return `catalog:
  glue:
    files: [glue/${TYPED_DATABASE}.json]
engines:
  local:
    type: duckdb
    lakePath: .
    s3Prefix: s3://test-lake/
    threads: 1
  redshift:
    mode: pg
    connectionString: "postgres://${user}@${host}:${port}/${database}?options=${options}"
    maxConnections: 4
    schemas: { ${TYPED_DATABASE}: ${TYPED_PG_SCHEMA} }
limits:
  defaultLimit: 100
  maxLimit: 10000
auth:
  issuer: lakegate-test
  audience: lakegate
  algorithms: [HS256]
  devRoles:
    engineer: { role: engineer }
datasets:
  - name: samples
    type: Sample
    table: ${TYPED_DATABASE}.${TYPED_TABLE}
    primaryKey: [id]
    engines: [local]
  - name: samplesPg
    type: SamplePg
    table: ${TYPED_DATABASE}.${TYPED_TABLE}
    primaryKey: [id]
    engines: [redshift]
    hiddenColumns: [tags]
`;
}

export interface TypedLake {
  readonly dir: string;
  readonly configFile: string;
  readonly parquetFile: string;
  readonly rows: readonly TypedRow[];
  remove(): Promise<void>;
}

export async function createTypedLake(client: Client, count = 80, seed = 11): Promise<TypedLake> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-typed-'));
  const rows = generateTypedRows(count, seed);
  const folder = path.join(dir, TYPED_DATABASE, TYPED_TABLE);
  mkdirSync(folder, { recursive: true });
  const parquetFile = path.join(folder, 'part-0000.parquet');
  await writeParquet(rows, parquetFile);
  await writePg(client, rows);
  mkdirSync(path.join(dir, 'glue'), { recursive: true });
  writeFileSync(path.join(dir, 'glue', `${TYPED_DATABASE}.json`), `${JSON.stringify(glueGetTables([{
    database: TYPED_DATABASE,
    table: TYPED_TABLE,
    description: 'Awkward typed values.',
    columns: Object.entries(TYPED_COLUMNS).map(([name, type]) => ({ name, type })),
    location: `s3://test-lake/${TYPED_DATABASE}/${TYPED_TABLE}/`,
    catalogId: CATALOG_ID,
  }]), null, 2)}\n`);
  writeFileSync(path.join(dir, 'lakegate.yaml'), curationYaml());
  return {
    dir,
    configFile: path.join(dir, 'lakegate.yaml'),
    parquetFile,
    rows,
    remove: async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${TYPED_PG_SCHEMA} CASCADE`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
