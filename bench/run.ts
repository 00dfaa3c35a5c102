import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pino from 'pino';
import { signDevToken } from '../src/auth/dev-token';
import { formatIssue, loadConfig, type LoadedConfig } from '../src/config/load';
import { createViewSql, localFolder } from '../src/datasources/local/views';
import { forwardingEngine } from '../src/datasources/forwarding';
import type { Engine } from '../src/datasources/types';
import { generateSampleLake, refreshSampleCatalog } from '../src/sample/generate';
import type { CompiledQuery } from '../src/sql/types';
import { createLakegate } from '../src/server/app';
import { benchAthena } from './athena';
import { benchExport } from './export';
import { benchKpis } from './kpis';
import { benchLive } from './live';
import { median } from './load';
import { benchPages } from './pages';
import { benchThroughput } from './throughput';

/**
 * `npm run bench [-- SECTION ...]`: on a 10M-row lake, the same queries through the GraphQL API
 * over HTTP and as the same SQL on DuckDB directly, interleaved (`api`); through the Athena path
 * (`athena`); KPIs under load (`kpis`); 1,000 live subscriptions (`live`); the whole lake read by
 * cursor pages against sampled offset pages (`pages`); the whole table through /export against
 * DuckDB's COPY (`export`); and, on a PostgreSQL table of its own, the per-request cost of small
 * reads (`throughput`). Without a section, all of them. Prints medians.
 */
const SECTIONS = ['api', 'athena', 'kpis', 'live', 'pages', 'export', 'throughput'] as const;
type Section = (typeof SECTIONS)[number];
const ROWS = Number(process.env['BENCH_ROWS'] ?? 10_000_000);
const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 15);
const LAKE_DIR = path.resolve('.lake', `bench-${ROWS}`);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';

const CASES: { name: string; query: string }[] = [
  {
    name: 'aggregate: monthly revenue by channel (full scan)',
    query: '{ transactionsAggregate(groupBy: [CHANNEL], timeGroup: { column: TS, grain: MONTH }, orderBy: [{ key: { ts: ASC } }]) { key { channel ts } count sum { amount } countDistinct { customerId } } }',
  },
  {
    name: 'aggregate: one day, pruned to one partition',
    query: '{ transactionsAggregate(where: { dt: { eq: "2024-02-14" } }, groupBy: [STATUS]) { key { status } count avg { amount } } }',
  },
  {
    name: 'rows: top 100 by amount in a week',
    query: '{ transactions(where: { dt: { gte: "2024-03-01", lt: "2024-03-08" } }, orderBy: [{ amount: DESC }], limit: 100) { transactionId amount currency ts } }',
  },
];

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown bench section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  const sections = new Set<Section>(asked.length > 0 ? (asked as Section[]) : SECTIONS);
  process.stdout.write(`Lakegate bench, node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})\n`);
  if ([...sections].some((section) => section !== 'throughput')) await benchLake(sections);
  if (sections.has('throughput')) await benchThroughput();
}

/** The sections over the 10M-row sample lake (generated once). */
async function benchLake(sections: ReadonlySet<Section>): Promise<void> {
  if (!existsSync(path.join(LAKE_DIR, 'lakegate.yaml'))) {
    process.stderr.write(`generating a ${ROWS.toLocaleString()}-row lake in ${LAKE_DIR} (once; cached) ...\n`);
    const started = performance.now();
    await generateSampleLake({ outDir: LAKE_DIR, rows: ROWS });
    process.stderr.write(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  await refreshSampleCatalog(LAKE_DIR);
  const result = loadConfig(path.join(LAKE_DIR, 'lakegate.yaml'));
  if (!result.value) throw new Error(result.issues.map(formatIssue).join('\n'));
  const loaded = withoutCallerLimits(result.value);
  process.stdout.write(`\nSample lake: ${ROWS.toLocaleString()} transactions\n`);
  if (sections.has('api')) await benchApi(loaded);
  if (sections.has('athena')) await benchAthena(loaded, CASES, ITERATIONS, SECRET);
  if (sections.has('kpis')) await benchKpis(loaded, SECRET);
  if (sections.has('live')) await benchLive(loaded, SECRET);
  if (sections.has('pages')) await benchPages(loaded, SECRET, ROWS);
  if (sections.has('export')) await benchExport(loaded, SECRET);
}

/** One caller at 32 connections is the bench's load, not abuse: its per-caller limits are off (the engines' queues stay). */
function withoutCallerLimits(loaded: LoadedConfig): LoadedConfig {
  return { ...loaded, config: { ...loaded.config, limits: { ...loaded.config.limits, requestsPerWindow: 0, concurrentQueriesPerCaller: 0 } } };
}

/** The API over HTTP against the same compiled SQL on DuckDB directly, interleaved. */
async function benchApi(loaded: LoadedConfig): Promise<void> {
  const { config, catalog, dir } = loaded;

  let lastQuery: CompiledQuery | null = null;
  const recordSql = (engine: Engine): Engine => forwardingEngine(engine, (inner, query, options) => {
    lastQuery = query;
    return inner.execute(query, options);
  });
  const lakegate = await createLakegate({ loaded, logger: pino({ level: 'silent' }), env: { LAKEGATE_JWT_SECRET: SECRET }, decorateEngine: recordSql });
  const url = `${await lakegate.listen(0, '127.0.0.1')}/graphql`;
  const token = signDevToken(config.auth, SECRET, 'analyst');

  const direct = await DuckDBInstance.create(':memory:');
  const connection = await direct.connect();
  const layout = { lakePath: path.resolve(dir, config.engines.local!.lakePath), s3Prefix: config.engines.local!.s3Prefix };
  for (const table of catalog.tables) {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS "${table.database}"`);
    await connection.run(createViewSql(table, localFolder(table, layout)!));
  }

  const viaApi = async (query: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return performance.now() - started;
  };
  const viaDuckDB = async (sql: CompiledQuery): Promise<number> => {
    const started = performance.now();
    const session = await direct.connect();
    const reader = await session.runAndReadAll(sql.sql, sql.params.map((param) => param.value));
    reader.getRowObjectsJson();
    session.closeSync();
    return performance.now() - started;
  };

  process.stdout.write(`\nAPI vs DuckDB directly, ${ITERATIONS} interleaved iterations per case\n`);
  process.stdout.write(`${'case'.padEnd(52)} ${'API ms'.padStart(9)} ${'DuckDB ms'.padStart(10)} ${'ratio'.padStart(7)}\n`);
  for (const { name, query } of CASES) {
    await viaApi(query);
    const sql = lastQuery!;
    await viaDuckDB(sql);
    const api: number[] = [];
    const duck: number[] = [];
    for (let i = 0; i < ITERATIONS; i += 1) {
      // Alternate which side goes first so caches and CPU frequency favour neither.
      if (i % 2 === 0) {
        api.push(await viaApi(query));
        duck.push(await viaDuckDB(sql));
      } else {
        duck.push(await viaDuckDB(sql));
        api.push(await viaApi(query));
      }
    }
    const ratio = median(api) / median(duck);
    process.stdout.write(`${name.padEnd(52)} ${median(api).toFixed(1).padStart(9)} ${median(duck).toFixed(1).padStart(10)} ${ratio.toFixed(2).padStart(6)}x\n`);
  }
  connection.closeSync();
  direct.closeSync();
  await lakegate.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
