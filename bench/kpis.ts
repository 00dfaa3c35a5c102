import pino from 'pino';
import { signDevToken } from '../src/auth/dev-token';
import type { LoadedConfig } from '../src/config/load';
import { createLakegate, type Lakegate } from '../src/server/app';
import { formatLoad, loadRounds, type LoadTarget } from './load';

const CONNECTIONS = 32;
const SECONDS = Number(process.env['BENCH_LOAD_SECONDS'] ?? 10);
const ROUNDS = Number(process.env['BENCH_LOAD_ROUNDS'] ?? 3);

const KPI = '{ kpis { revenue(from: "2024-03-01", to: "2024-04-01", grain: DAY, groupBy: [CHANNEL]) { time channel value } } }';
/** The dataset aggregate the KPI replaces: the same numbers, asked of the engine every time. */
const AGGREGATE = `{ transactionsAggregate(where: { status: { eq: "completed" }, ts: { gte: "2024-03-01", lt: "2024-04-01" } },
  groupBy: [CHANNEL], timeGroup: { column: TS, grain: DAY }, limit: 1000) { key { ts channel } sum { amount } } }`;
/** No engine at all: what HTTP, the JWT and GraphQL cost around any answer. */
const FLOOR = '{ catalog { kpis { name } } }';

/**
 * KPIs under load: requests per second and latency at 32 connections for a KPI answered from the
 * cache, the same KPI with the cache off, the dataset aggregate it replaces, and a request that
 * reaches no engine (the HTTP + JWT + GraphQL floor a cache hit should come close to). Interleaved
 * rounds, medians.
 */
export async function benchKpis(loaded: LoadedConfig, secret: string): Promise<void> {
  const start = async (enabled: boolean): Promise<{ lakegate: Lakegate; url: string }> => {
    const lakegate = await createLakegate({
      loaded: { ...loaded, config: { ...loaded.config, cache: { ...loaded.config.cache, enabled } } },
      logger: pino({ level: 'silent' }),
      env: { LAKEGATE_JWT_SECRET: secret },
    });
    return { lakegate, url: `${await lakegate.listen(0, '127.0.0.1')}/graphql` };
  };
  const on = await start(true);
  const off = await start(false);
  const headers = { authorization: `Bearer ${signDevToken(loaded.config.auth, secret, 'analyst')}` };
  const target = (name: string, url: string, query: string): LoadTarget => ({ name, url, headers, body: JSON.stringify({ query }) });
  try {
    // Warm the cache once; the KPI's freshness (5 min) outlasts the bench.
    await fetch(on.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: KPI }) });
    const targets = [
      target('KPI revenue by day and channel, cache hit', on.url, KPI),
      target('the same KPI, cache off', off.url, KPI),
      target('the dataset aggregate it replaces', on.url, AGGREGATE),
      target('no engine: HTTP + JWT + GraphQL floor', on.url, FLOOR),
    ];
    process.stdout.write(`\nKPIs under load: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s, medians\n`);
    process.stdout.write(`${'case'.padEnd(52)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}\n`);
    const figures = await loadRounds(targets, { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS });
    for (const { name } of targets) process.stdout.write(`${formatLoad(name, figures.get(name)!)}\n`);
    const hit = figures.get(targets[0]!.name)!.requestsPerSecond;
    const floor = figures.get(targets[3]!.name)!.requestsPerSecond;
    process.stdout.write(`a cache hit serves ${(hit / floor * 100).toFixed(0)}% of the floor's req/s; ${(hit / figures.get(targets[2]!.name)!.requestsPerSecond).toFixed(0)}x the aggregate's\n`);
  } finally {
    await on.lakegate.stop();
    await off.lakegate.stop();
  }
}
