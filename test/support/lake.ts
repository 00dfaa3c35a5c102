import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateSampleLake } from '../../src/sample/generate';

export interface TestLake {
  readonly dir: string;
  readonly configFile: string;
  /** Raw rows of a table read straight from its files, for in-memory oracles. */
  rawRows(table: LakeTable): Promise<Record<string, unknown>[]>;
  /** Plain DuckDB SQL over the lake's files, each table a view of its own name (`transactions`, `events`, ...): an oracle written by hand. */
  sql(text: string): Promise<Record<string, unknown>[]>;
  remove(): void;
}

export type LakeTable = 'customers' | 'transactions' | 'events' | 'employees' | 'cloudtrail';

const READERS: Record<LakeTable, string> = {
  customers: "read_parquet('sales/customers/**/*.parquet')",
  transactions: "read_parquet('sales/transactions/**/*.parquet', hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})",
  events: "read_json('web/events/**/*.json', format = 'newline_delimited', hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})",
  employees: "read_json('hr/employees/*.json', format = 'newline_delimited')",
  cloudtrail: "read_json('security/cloudtrail/**/*.json', format = 'newline_delimited', hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})",
};

async function readLake(lakeDir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run(`SET file_search_path = '${lakeDir.replace(/'/g, "''")}'`);
    for (const [name, reader] of Object.entries(READERS)) await connection.run(`CREATE VIEW ${name} AS SELECT * FROM ${reader}`);
    const result = await connection.runAndReadAll(sql);
    return result.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** A freshly generated sample lake in a temporary folder (one per test file). */
export async function createTestLake(rows = 2000, seed = 7): Promise<TestLake> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-test-'));
  const lakeDir = path.join(dir, 'lake');
  await generateSampleLake({ outDir: lakeDir, rows, seed });
  return {
    dir: lakeDir,
    configFile: path.join(lakeDir, 'lakegate.yaml'),
    rawRows: (table) => readLake(lakeDir, `SELECT * FROM ${table}`),
    sql: (text) => readLake(lakeDir, text),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Appends a day of transactions to the lake, as a new `dt=` partition: the rows of `fromDay` moved
 * to `toDay` (new ids), `copies` times over — new data arriving in the lake folder.
 */
export async function appendTransactionsDay(lakeDir: string, fromDay: string, toDay: string, copies = 1): Promise<number> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const days = Math.round((Date.parse(toDay) - Date.parse(fromDay)) / 86_400_000);
    const source = `read_parquet('${path.join(lakeDir, 'sales', 'transactions', `dt=${fromDay}`, '*.parquet').replace(/'/g, "''")}', hive_partitioning = false)`;
    const target = path.join(lakeDir, 'sales', 'transactions', `dt=${toDay}`);
    mkdirSync(target, { recursive: true });
    await connection.run(`COPY (
      SELECT t.* REPLACE (t.transaction_id + 100000000 * ${days} + 1000000 * c.copy AS transaction_id, t.ts + INTERVAL (${days}) DAY AS ts)
      FROM ${source} AS t, range(${copies}) AS c(copy)
    ) TO '${path.join(target, `part-${Date.now()}.parquet`).replace(/'/g, "''")}' (FORMAT PARQUET)`);
    const [row] = (await connection.runAndReadAll(`SELECT count(*) AS n FROM ${source}`)).getRowObjectsJson();
    return Number(row!['n']) * copies;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}
