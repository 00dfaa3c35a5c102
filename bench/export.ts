import http from 'node:http';
import { rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { signDevToken } from '../src/auth/dev-token';
import type { LoadedConfig } from '../src/config/load';
import { createViewSql, localFolder } from '../src/datasources/local/views';
import { startServer, type ServerProcess } from './server-process';

/**
 * `export`: the whole transactions table through `/export?format=csv` and `ndjson` over HTTP from
 * a `lakegate serve` process (an unrestricted engineer's token), against DuckDB writing the same
 * rows with `COPY (SELECT …) TO '….csv'` in-process — the physical limit. Rows/s, seconds, bytes,
 * and the server's peak resident memory above idle (VmRSS sampled every 50 ms).
 */
const QUERY = '{ transactions { transactionId customerId amount currency status channel ts dt } }';
// In no order, as the export of a whole table without orderBy reads it.
const COPY_SQL = 'SELECT transaction_id, customer_id, amount, currency, status, channel, ts, dt FROM "sales"."transactions"';
const SAMPLE_MS = 50;

interface Measured {
  readonly rows: number;
  readonly seconds: number;
  readonly bytes: number;
  /** Peak resident set above idle; null for the in-process COPY. */
  readonly peakRssAboveIdle: number | null;
}

export async function benchExport(loaded: LoadedConfig, secret: string): Promise<void> {
  const server = await startServer(path.join(loaded.dir, 'lakegate.yaml'), { LAKEGATE_JWT_SECRET: secret }, { stdout: 'ignore' });
  try {
    const token = signDevToken(loaded.config.auth, secret, 'engineer');
    // A small export first: the engineer's schema is built and the engine warm before idle is measured.
    await download(server, 'csv', '{ transactions(limit: 10) { transactionId } }', token);
    const idle = await idleRss(server);
    process.stdout.write(`\nExport of the whole transactions table (server idle RSS ${mb(idle)} MB)\n`);
    process.stdout.write(`${'how'.padEnd(28)} ${'rows'.padStart(11)} ${'s'.padStart(7)} ${'MB'.padStart(8)} ${'rows/s'.padStart(10)} ${'peak RSS +MB'.padStart(13)} ${'vs COPY'.padStart(8)}\n`);
    const copy = await duckdbCopy(loaded);
    for (const format of ['csv', 'ndjson'] as const) {
      const measured = await sampled(server, idle, () => download(server, format, QUERY, token));
      line(`/export?format=${format}`, measured, copy);
    }
    line('DuckDB COPY TO csv', copy, copy);
  } finally {
    await server.stop();
  }
}

function line(how: string, measured: Measured, copy: Measured): void {
  const rate = measured.rows / measured.seconds;
  const peak = measured.peakRssAboveIdle === null ? 'in-process' : mb(measured.peakRssAboveIdle);
  process.stdout.write(`${how.padEnd(28)} ${measured.rows.toLocaleString().padStart(11)} ${measured.seconds.toFixed(2).padStart(7)} ${mb(measured.bytes).padStart(8)} ${Math.round(rate).toLocaleString().padStart(10)} ${peak.padStart(13)} ${`${(measured.seconds / copy.seconds).toFixed(2)}x`.padStart(8)}\n`);
}

/** The server's resident memory at rest: the median of a few samples. */
async function idleRss(server: ServerProcess): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    samples.push(server.rssBytes());
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  }
  return samples.sort((a, b) => a - b)[5]!;
}

/** Runs `work` while sampling the server's VmRSS every 50 ms; its peak above `idle` joins the measure. */
async function sampled(server: ServerProcess, idle: number, work: () => Promise<Omit<Measured, 'peakRssAboveIdle'>>): Promise<Measured> {
  let peak = server.rssBytes();
  const timer = setInterval(() => {
    peak = Math.max(peak, server.rssBytes());
  }, SAMPLE_MS);
  try {
    const measured = await work();
    return { ...measured, peakRssAboveIdle: Math.max(0, peak - idle) };
  } finally {
    clearInterval(timer);
  }
}

/** Downloads an export, counting bytes and lines (rows: CSV lines less the header, NDJSON lines less the `@complete` line); checks its trailer. */
function download(server: ServerProcess, format: 'csv' | 'ndjson', query: string, token: string): Promise<Omit<Measured, 'peakRssAboveIdle'>> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const url = new URL(`/export?${new URLSearchParams({ format, query })}`, server.url);
    http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) {
        res.setEncoding('utf8').on('data', (text: string) => reject(new Error(`export answered ${res.statusCode}: ${text}`)));
        return;
      }
      let bytes = 0;
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
      });
      res.on('end', () => {
        const rows = lines - 1;
        if (res.trailers['lakegate-export-rows'] !== String(rows)) reject(new Error(`incomplete export: ${rows} rows, trailer ${res.trailers['lakegate-export-rows']}`));
        else resolve({ rows, seconds: (performance.now() - started) / 1000, bytes });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** DuckDB writing the same rows to a CSV file in-process, over the same views of the lake. */
async function duckdbCopy(loaded: LoadedConfig): Promise<Measured> {
  const { config, catalog, dir } = loaded;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const file = path.join(os.tmpdir(), `lakegate-bench-export-${process.pid}.csv`);
  try {
    const layout = { lakePath: path.resolve(dir, config.engines.local!.lakePath), s3Prefix: config.engines.local!.s3Prefix };
    for (const table of catalog.tables) {
      await connection.run(`CREATE SCHEMA IF NOT EXISTS "${table.database}"`);
      await connection.run(createViewSql(table, localFolder(table, layout)!));
    }
    const started = performance.now();
    const reader = await connection.runAndReadAll(`COPY (${COPY_SQL}) TO '${file.replace(/'/g, "''")}' (HEADER)`);
    const seconds = (performance.now() - started) / 1000;
    const rows = Number(reader.getRows()[0]?.[0] ?? 0);
    return { rows, seconds, bytes: statSync(file).size, peakRssAboveIdle: null };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(file, { force: true });
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
