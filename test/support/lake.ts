import { mkdtempSync, rmSync } from 'node:fs';
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
