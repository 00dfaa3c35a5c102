import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DAY_COUNT, dayLabel, dayStart } from './days';
import { projectTableSql } from './projection';
import { employeesSql } from './rows-hr';
import { buyersTableSql, customersTableSql, transactionsSql } from './rows-sales';
import { cloudtrailSql } from './rows-security';
import { eventsSql } from './rows-web';
import { literal, randomMacrosSql } from './sql';
import { CLOUDTRAIL, CUSTOMERS, EMPLOYEES, EVENTS, TRANSACTIONS, tableFolder, type SampleTable } from './tables';

/**
 * Writes the lake's data files under `root` with an in-memory DuckDB. The work is a list of
 * independent jobs run over one connection per DuckDB thread: `range()` scans and the JSON
 * writer are single-threaded, so running jobs side by side is what uses every core.
 */

export interface SampleSizes {
  readonly customers: number;
  readonly transactions: number;
  readonly events: number;
  readonly employees: number;
  readonly cloudtrail: number;
}

type Job = (connection: DuckDBConnection) => Promise<void>;
type DaySql = (day: number, start: number, stop: number) => string;

export async function writeSampleData(root: string, sizes: SampleSizes, seed: number): Promise<void> {
  const spill = path.join(root, '.duckdb-tmp');
  const db = await DuckDBInstance.create(':memory:', { temp_directory: spill });
  const connections: DuckDBConnection[] = [];
  try {
    const first = await db.connect();
    connections.push(first);
    for (const sql of randomMacrosSql(seed)) await first.run(sql);
    const threads = Number((await first.runAndReadAll("SELECT current_setting('threads')")).getRows()[0]?.[0] ?? 1);
    while (connections.length < Math.max(1, Math.min(threads, 8))) connections.push(await db.connect());
    // Row order inside a file carries no meaning; dropping it lets COPY stream without buffering.
    for (const connection of connections) await connection.run('SET preserve_insertion_order = false');
    await runJobs(connections, planJobs(root, sizes));
  } finally {
    for (const connection of connections) connection.closeSync();
    db.closeSync();
  }
  await rm(spill, { recursive: true, force: true });
}

/** Largest job first, so the JSON days fill the other connections while it runs. */
function planJobs(root: string, sizes: SampleSizes): Job[] {
  return [
    (connection) => writeSales(connection, root, sizes),
    (connection) => writeJsonFile(connection, EMPLOYEES, employeesSql(), path.join(root, tableFolder(EMPLOYEES), 'employees.json')),
    ...jsonDayJobs(root, EVENTS, sizes.events, (day, start, stop) => eventsSql(day, start, stop, sizes.customers)),
    ...jsonDayJobs(root, CLOUDTRAIL, sizes.cloudtrail, cloudtrailSql),
  ];
}

/** Runs jobs over the connections; after a failure no new job starts, and the first error is thrown. */
async function runJobs(connections: readonly DuckDBConnection[], jobs: readonly Job[]): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (connection: DuckDBConnection): Promise<void> => {
    while (errors.length === 0 && next < jobs.length) {
      const job = jobs[next++] as Job;
      try {
        await job(connection);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(connections.map(worker));
  if (errors.length > 0) throw errors[0];
}

async function writeSales(connection: DuckDBConnection, root: string, sizes: SampleSizes): Promise<void> {
  await connection.run(customersTableSql(sizes.customers));
  await connection.run(buyersTableSql());
  const customersFile = path.join(root, tableFolder(CUSTOMERS), 'customers.parquet');
  await mkdir(path.dirname(customersFile), { recursive: true });
  await connection.run(`COPY (${projectTableSql(CUSTOMERS, 'SELECT * FROM customers', false)}) TO ${literal(customersFile)} (FORMAT PARQUET, COMPRESSION SNAPPY)`);
  const buyerCount = Number((await connection.runAndReadAll('SELECT count(*)::INTEGER FROM buyers')).getRows()[0]?.[0]);
  const folder = path.join(root, tableFolder(TRANSACTIONS));
  await connection.run(
    `COPY (${projectTableSql(TRANSACTIONS, transactionsSql(sizes.transactions, buyerCount), true)}) TO ${literal(folder)} (FORMAT PARQUET, COMPRESSION SNAPPY, PARTITION_BY (dt))`,
  );
}

async function writeJsonFile(connection: DuckDBConnection, table: SampleTable, selectSql: string, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await connection.run(`COPY (${projectTableSql(table, selectSql, false)}) TO ${literal(file)} (FORMAT JSON)`);
}

/**
 * DuckDB's JSON writer cannot `PARTITION_BY`, so each day is one job writing `dt=YYYY-MM-DD/`.
 * Rows are laid out by day (see days.ts), so a day is a plain id range.
 */
function jsonDayJobs(root: string, table: SampleTable, total: number, daySql: DaySql): Job[] {
  const jobs: Job[] = [];
  for (let day = 0; day < DAY_COUNT; day += 1) {
    const start = dayStart(day, total);
    const stop = dayStart(day + 1, total);
    if (stop <= start) continue;
    const file = path.join(root, tableFolder(table), `dt=${dayLabel(day)}`, 'data_0.json');
    jobs.push((connection) => writeJsonFile(connection, table, daySql(day, start, stop), file));
  }
  return jobs;
}
