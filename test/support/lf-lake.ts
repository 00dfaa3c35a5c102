import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { glueGetTables } from './glue-json';
import { emptyExports, type ExportFile } from './lf-exports';
import { CATALOG_ID, COLUMNS, DATABASE, HIVE_TYPE, TABLE, type Row } from './lf-model';

/**
 * Writes the differential test's lake into a temporary folder: `shop.items` as one Parquet file
 * (written by DuckDB from JS values), its Glue `get-tables` export, empty Lake Formation exports
 * and a `lakegate.yaml` that serves it through the embedded engine.
 */
export interface LfLake {
  readonly dir: string;
  readonly configFile: string;
  readonly rows: readonly Row[];
  /** Replaces the Lake Formation exports (then call `reloadPermissions`). */
  writeExports(files: readonly ExportFile[]): void;
  remove(): void;
}

/** mulberry32: a small seeded PRNG, so the lake is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const REGIONS: readonly string[] = ['north', 'south', 'EU', 'eu', "d'or"];
export const LABELS: readonly string[] = ['alpha', 'beta', 'Gamma', 'delta_1', '100%', ''];
/** Near 2^53, so a value that went through a double would land on a neighbour. */
const BIG_ID = 9007199254740993n;

export function generateRows(count: number, seed: number): Row[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const ids = new Set<string>();
  while (ids.size < count) {
    const roll = random();
    const id = roll < 0.15 ? BIG_ID + BigInt(Math.floor(random() * 6)) - 2n : roll < 0.2 ? BigInt(-Math.floor(random() * 9) - 1) : BigInt(Math.floor(random() * 60));
    ids.add(id.toString());
  }
  // A few repeated prices, so grouping and distinct counts have something to merge.
  const prices = Array.from({ length: 7 }, () => (Math.floor(random() * 4000) / 100).toFixed(2));
  return [...ids].map((id) => ({
    id,
    region: random() < 0.2 ? null : pick(REGIONS),
    price: random() < 0.2 ? null : random() < 0.6 ? pick(prices) : (Math.floor(random() * 4000) / 100).toFixed(2),
    qty: random() < 0.2 ? null : Math.floor(random() * 15) - 2,
    label: pick(LABELS),
  }));
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function sqlRow(row: Row): string {
  const price = row.price === null ? 'NULL' : `CAST(${sqlString(row.price)} AS DECIMAL(10,2))`;
  return `(${row.id}, ${row.region === null ? 'NULL' : sqlString(row.region)}, ${price}, ${row.qty === null ? 'NULL' : row.qty}, ${sqlString(row.label)})`;
}

async function writeParquet(rows: readonly Row[], file: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run('CREATE TABLE items (id BIGINT, region VARCHAR, price DECIMAL(10,2), qty INTEGER, label VARCHAR)');
    await connection.run(`INSERT INTO items VALUES ${rows.map(sqlRow).join(',\n')}`);
    await connection.run(`COPY items TO ${sqlString(file)} (FORMAT PARQUET)`);
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** `aws glue get-tables --database-name shop`. */
function glueDocument(): unknown {
  return glueGetTables([{
    database: DATABASE,
    table: TABLE,
    description: 'Shop items for the Lake Formation differential test.',
    columns: COLUMNS.map((name) => ({ name, type: HIVE_TYPE[name] })),
    location: `s3://test-lake/${DATABASE}/${TABLE}/`,
    catalogId: CATALOG_ID,
  }]);
}

export const LF_PATHS = {
  permissions: 'lakeformation/list-permissions.json',
  dataCellsFilters: 'lakeformation/list-data-cells-filter.json',
  lfTags: 'lakeformation/list-lf-tags.json',
  resourceTags: `lakeformation/tags/${DATABASE}.${TABLE}.json`,
} as const;

function curationYaml(): string {
  return `catalog:
  glue:
    files:
      - glue/${DATABASE}.json
engines:
  local:
    type: duckdb
    lakePath: .
    s3Prefix: s3://test-lake/
    threads: 1
limits:
  defaultLimit: 100
  maxLimit: 10000
  requestsPerWindow: 0                # thousands of generated cases from one caller
auth:
  issuer: lakegate-test
  audience: lakegate
  algorithms: [HS256]
  hs256SecretEnv: LAKEGATE_JWT_SECRET
  principals:
    - { claim: role, equals: tester, principals: ["arn:aws:iam::${CATALOG_ID}:role/A"] }
    - { claim: groups, principals: ["arn:aws:iam::${CATALOG_ID}:role/{value}"] }
  devRoles:
    tester: { role: tester, groups: ["B"] }
lakeFormation:
  catalogId: "${CATALOG_ID}"
  files:
    permissions: ${LF_PATHS.permissions}
    dataCellsFilters: ${LF_PATHS.dataCellsFilters}
    lfTags: ${LF_PATHS.lfTags}
    resourceTags:
      - { table: ${DATABASE}.${TABLE}, file: ${LF_PATHS.resourceTags} }
datasets:
  - name: items
    type: Item
    table: ${DATABASE}.${TABLE}
    description: "Shop items."
    primaryKey: [id]
`;
}

export async function createLfLake(rowCount: number, seed: number): Promise<LfLake> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-lf-diff-'));
  const rows = generateRows(rowCount, seed);
  mkdirSync(path.join(dir, DATABASE, TABLE), { recursive: true });
  await writeParquet(rows, path.join(dir, DATABASE, TABLE, 'part-0000.parquet'));
  mkdirSync(path.join(dir, 'glue'), { recursive: true });
  writeFileSync(path.join(dir, 'glue', `${DATABASE}.json`), `${JSON.stringify(glueDocument(), null, 4)}\n`);
  mkdirSync(path.join(dir, 'lakeformation', 'tags'), { recursive: true });
  const writeExports = (files: readonly ExportFile[]): void => {
    for (const file of files) writeFileSync(path.join(dir, file.path), `${JSON.stringify(file.document, null, 4)}\n`);
  };
  writeExports(emptyExports());
  writeFileSync(path.join(dir, 'lakegate.yaml'), curationYaml());
  return {
    dir,
    configFile: path.join(dir, 'lakegate.yaml'),
    rows,
    writeExports,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

