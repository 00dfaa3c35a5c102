import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { signDevToken } from '../src/auth/dev-token';
import type { LoadedConfig } from '../src/config/load';
import { median } from './load';
import { startServer, type ServerProcess } from './server-process';

const PAGE = 10_000;
const SELECTION = 'transactionId customerId amount currency status channel ts dt';
const OFFSETS = [0, 100_000, 1_000_000, 5_000_000];
const RSS_SAMPLE_MS = 50;

/**
 * Reading the whole lake by cursor pages of 10,000 over HTTP (engineer, unrestricted, embedded
 * DuckDB engine) against a few `limit`/`offset` pages sampled deep into the same order. The server
 * runs as a process of its own; its RSS is sampled from /proc/<pid>/status (VmRSS) every 50 ms and
 * reported above its idle RSS (after start-up and one warm-up page).
 */
export async function benchPages(loaded: LoadedConfig, secret: string, rows: number): Promise<void> {
  const config = path.join(loaded.dir, '.bench-pages.yaml');
  const document = parse(readFileSync(loaded.file, 'utf8')) as { limits?: Record<string, unknown> };
  document.limits = { ...document.limits, requestsPerWindow: 0, concurrentQueriesPerCaller: 0, queryTimeoutMs: 120_000 };
  writeFileSync(config, stringify(document));
  const server = await startServer(config, { LAKEGATE_JWT_SECRET: secret }, { stdout: 'ignore' });
  try {
    const token = signDevToken(loaded.config.auth, secret, 'engineer');
    const post = graphqlPoster(`${server.url}/graphql`, token);
    await post(`{ transactionsPage(first: ${PAGE}) { rows { ${SELECTION} } } }`);
    const idle = server.rssBytes();
    const cursor = await readByPages(post, server, idle);
    process.stdout.write(`\nCursor pages of ${PAGE.toLocaleString()} over HTTP, whole lake (${rows.toLocaleString()} rows), embedded DuckDB, server in its own process\n`);
    process.stdout.write(`  rows ${cursor.rows.toLocaleString()} in ${cursor.pages} pages, ${cursor.seconds.toFixed(1)} s, ${Math.round(cursor.rows / cursor.seconds).toLocaleString()} rows/s\n`);
    process.stdout.write(`  page latency p50 ${percentile(cursor.latencies, 0.5).toFixed(0)} ms, p99 ${percentile(cursor.latencies, 0.99).toFixed(0)} ms; page 1 ${cursor.latencies[0]!.toFixed(0)} ms, last page ${cursor.latencies.at(-1)!.toFixed(0)} ms\n`);
    process.stdout.write(`  server RSS: idle ${mb(idle)}, peak ${mb(cursor.peakRss)} (+${mb(cursor.peakRss - idle)} above idle; /proc VmRSS every ${RSS_SAMPLE_MS} ms)\n`);
    process.stdout.write(`\nThe old way: limit ${PAGE.toLocaleString()} with an offset, same order (median of 3)\n`);
    for (const offset of OFFSETS.filter((each) => each < rows)) {
      const times: number[] = [];
      for (let i = 0; i < 3; i += 1) times.push((await post(`{ transactions(limit: ${PAGE}, offset: ${offset}) { ${SELECTION} } }`)).ms);
      process.stdout.write(`  offset ${offset.toLocaleString().padStart(10)}: ${median(times).toFixed(0).padStart(6)} ms\n`);
    }
  } finally {
    await server.stop();
  }
}

type Post = (query: string, variables?: Record<string, unknown>) => Promise<{ body: { data?: Record<string, unknown>; errors?: unknown }; ms: number }>;

function graphqlPoster(url: string, token: string): Post {
  return async (query, variables = {}) => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return { body, ms: performance.now() - started };
  };
}

interface CursorRead {
  readonly rows: number;
  readonly pages: number;
  readonly seconds: number;
  readonly latencies: number[];
  readonly peakRss: number;
}

async function readByPages(post: Post, server: ServerProcess, idle: number): Promise<CursorRead> {
  let peakRss = idle;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, server.rssBytes());
  }, RSS_SAMPLE_MS);
  const query = `query($after: String) { transactionsPage(first: ${PAGE}, after: $after) { rows { ${SELECTION} } pageInfo { endCursor hasNextPage } } }`;
  const latencies: number[] = [];
  let rows = 0;
  let after: string | null = null;
  const started = performance.now();
  try {
    do {
      const { body, ms } = await post(query, after ? { after } : {});
      const page = body.data!['transactionsPage'] as { rows: unknown[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
      latencies.push(ms);
      rows += page.rows.length;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  } finally {
    clearInterval(sampler);
  }
  return { rows, pages: latencies.length, seconds: (performance.now() - started) / 1000, latencies, peakRss: Math.max(peakRss, server.rssBytes()) };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}
