import pg from 'pg';
import { signDevToken } from '../src/auth/dev-token';
import { formatIssue, loadConfig, type LoadedConfig } from '../src/config/load';
import { column } from '../src/query/expr';
import type { LogicalQuery, RowQuery } from '../src/query/types';
import { createPolicyStore } from '../src/policy/store';
import { applyPolicy } from '../src/policy/rewrite';
import { compileQuery } from '../src/sql/compiler';
import { dialectNamed, withSchemas } from '../src/sql/dialects';
import type { CompiledQuery } from '../src/sql/types';
import { loadRounds, median, type LoadFigures } from './load';
import { startServer } from './server-process';
import { ADMIN, THROUGHPUT_DATABASE, ensureThroughputData, writeThroughputConfig } from './throughput-lake';

const SECRET = 'throughput-secret-throughput-secret-0123';
const SECONDS = Number(process.env['BENCH_LOAD_SECONDS'] ?? 10);
const ROUNDS = Number(process.env['BENCH_LOAD_ROUNDS'] ?? 3);
const CONCURRENCY = [1, 32] as const;

const LIST = '{ transactions(where: {channel: {eq: "web"}}, orderBy: [{transactionId: ASC}], limit: 10) { transactionId amount customerId } }';
const RELATION = '{ transactions(where: {channel: {eq: "web"}}, orderBy: [{transactionId: ASC}], limit: 10) { transactionId amount customer { name country } } }';
const KPI = '{ kpis { orders(from: "2024-01-01", to: "2024-02-01", grain: DAY, groupBy: [CHANNEL]) { time channel value } } }';

interface Case {
  readonly name: string;
  readonly role: string;
  readonly query: string;
  /** The engine work of one request, through a bare pg pool (null: a cache hit does none). */
  readonly sql: readonly CompiledQuery[] | null;
}

/**
 * `npm run bench -- throughput`: Lakegate on its Redshift-over-pg engine against a table of its
 * own in the local PostgreSQL (1M rows), at 1 and 32 connections, beside the same SQL through a
 * bare `pg` pool in this process at the same concurrency — the physical limit of that work here.
 * Interleaved rounds, medians; the server is a process of its own, autocannon another.
 */
export async function benchThroughput(): Promise<void> {
  await ensureThroughputData();
  const configFile = writeThroughputConfig();
  const loaded = loadConfig(configFile);
  if (!loaded.value) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const cases = throughputCases(loaded.value);
  const server = await startServer(configFile, { LAKEGATE_JWT_SECRET: SECRET, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' }, { stdout: 'ignore' });
  const pool = new pg.Pool({ ...ADMIN, database: THROUGHPUT_DATABASE, max: 10 });
  try {
    const tokens = new Map(['engineer', 'analyst'].map((role) => [role, signDevToken(loaded.value!.config.auth, SECRET, role)]));
    const url = `${server.url}/graphql`;
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get('engineer')}` }, body: JSON.stringify({ query: KPI }) });
    process.stdout.write(`\nThroughput: Lakegate on Redshift-over-pg (PostgreSQL, 1M rows) vs the same SQL on a bare pg pool; ${ROUNDS} interleaved rounds of ${SECONDS} s, medians\n`);
    process.stdout.write(`${'case'.padEnd(34)} ${'conns'.padStart(5)} ${'Lakegate req/s'.padStart(14)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'bare pg req/s'.padStart(13)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'ratio'.padStart(6)}\n`);
    for (const connections of CONCURRENCY) {
      const lakegate = await loadRounds(cases.map((item) => ({
        name: item.name, url, body: JSON.stringify({ query: item.query }), headers: { authorization: `Bearer ${tokens.get(item.role)}` },
      })), { connections, seconds: SECONDS, rounds: ROUNDS });
      for (const item of cases) {
        const bare = item.sql ? await barePgRounds(pool, item.sql, connections) : null;
        printRow(item.name, connections, lakegate.get(item.name)!, bare);
      }
    }
  } finally {
    await pool.end();
    await server.stop();
  }
}

function printRow(name: string, connections: number, lakegate: LoadFigures, bare: LoadFigures | null): void {
  const figures = (f: LoadFigures | null): string => (f ? `${f.requestsPerSecond.toFixed(0).padStart(14)} ${f.p50Ms.toFixed(1).padStart(6)} ${f.p99Ms.toFixed(1).padStart(6)}` : `${'—'.padStart(14)} ${''.padStart(6)} ${''.padStart(6)}`);
  const ratio = bare ? (lakegate.requestsPerSecond / bare.requestsPerSecond).toFixed(2) : '—';
  process.stdout.write(`${name.padEnd(34)} ${String(connections).padStart(5)} ${figures(lakegate)} ${figures(bare).slice(1)} ${ratio.padStart(6)}${lakegate.errors ? `  (${lakegate.errors} errors)` : ''}\n`);
}

/** The SQL each case sends to the engine, compiled by Lakegate's own compiler on the caller's view. */
function throughputCases(loaded: LoadedConfig): Case[] {
  const store = createPolicyStore(loaded.catalog, loaded.config.lakeFormation!.catalogId);
  store.update(loaded.lakeFormation!);
  const principals = (role: string): string[] => [`arn:aws:iam::111122223333:role/${role === 'engineer' ? 'Engineer' : 'Analyst'}`];
  const dialect = withSchemas(dialectNamed('redshift-pg'), { sales: 'bench_sales' });
  const compile = (role: string, dataset: string, query: LogicalQuery): CompiledQuery => compileQuery(applyPolicy(query, store.entitlementFor(principals(role)).views.get(dataset)), dialect);
  const list = (select: string[]): RowQuery => ({
    kind: 'rows', from: { kind: 'table', table: { database: 'sales', table: 'transactions' } },
    select: select.map((name) => ({ alias: name, column: column(name) })),
    where: { kind: 'compare', op: 'eq', column: column('channel'), value: { value: 'web', type: { kind: 'string' } } },
    orderBy: [{ target: column('transaction_id'), direction: 'asc', nulls: 'last' }], limit: 10, offset: 0, perKeyLimit: null,
  });
  const customers: RowQuery = {
    kind: 'rows', from: { kind: 'table', table: { database: 'sales', table: 'customers' } },
    select: ['customer_id', 'name', 'country'].map((name) => ({ alias: name, column: column(name) })),
    where: { kind: 'in', column: column('customer_id'), negated: false, values: Array.from({ length: 10 }, (_, i) => ({ value: String(1 + i * 97), type: { kind: 'bigint' } })) },
    orderBy: [{ target: column('customer_id'), direction: 'asc', nulls: 'last' }], limit: null, offset: 0, perKeyLimit: null,
  };
  return [
    { name: 'filtered list (10 rows)', role: 'engineer', query: LIST, sql: [compile('engineer', 'transactions', list(['transaction_id', 'amount', 'customer_id']))] },
    { name: 'the same list, LF cell filter', role: 'analyst', query: LIST, sql: [compile('analyst', 'transactions', list(['transaction_id', 'amount', 'customer_id']))] },
    { name: 'relation (list + customer)', role: 'engineer', query: RELATION, sql: [compile('engineer', 'transactions', list(['transaction_id', 'amount', 'customer_id'])), compile('engineer', 'customers', customers)] },
    { name: 'KPI, cache hit', role: 'engineer', query: KPI, sql: null },
  ];
}

/** The same SQL through a pg pool in this process, `connections` loops at once, in interleaved rounds. */
async function barePgRounds(pool: pg.Pool, queries: readonly CompiledQuery[], connections: number): Promise<LoadFigures> {
  const runs: LoadFigures[] = [];
  for (let round = 0; round < ROUNDS; round += 1) runs.push(await barePg(pool, queries, connections));
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    errors: 0,
  };
}

async function barePg(pool: pg.Pool, queries: readonly CompiledQuery[], connections: number): Promise<LoadFigures> {
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const started = performance.now();
      for (const query of queries) await pool.query(query.sql, query.params.map((param) => param.value));
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  latencies.sort((a, b) => a - b);
  return { requestsPerSecond: latencies.length / SECONDS, p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0, p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0, errors: 0 };
}
