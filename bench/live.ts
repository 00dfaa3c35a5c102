import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'graphql-ws';
import { parse, stringify } from 'yaml';
import type { LoadedConfig } from '../src/config/load';
import { subscribe, wsClient } from '../test/support/ws-client';
import { startServer } from './server-process';
import { callerTokens } from './workload';

const SUBSCRIPTIONS = Number(process.env['BENCH_SUBSCRIPTIONS'] ?? 1_000);
const CONNECTIONS = 10;
const FRESHNESS_S = 2;
const INTERVALS = 5;

/**
 * Live KPIs at scale: the server (a process of its own) with `SUBSCRIPTIONS` open subscriptions
 * on one KPI over ten connections — its RSS before and after, and the evaluations (audited engine
 * queries or cached answers) per interval, which should not grow with the subscribers.
 */
export async function benchLive(loaded: LoadedConfig, secret: string): Promise<void> {
  const config = path.join(loaded.dir, '.bench-live.yaml');
  const document = parse(readFileSync(loaded.file, 'utf8')) as { kpis: { name: string; freshness?: string }[] };
  for (const kpi of document.kpis) kpi.freshness = `${FRESHNESS_S}s`;
  writeFileSync(config, stringify(document));
  const server = await startServer(config, { LAKEGATE_JWT_SECRET: secret, LOG_LEVEL: 'info' });
  // Counted by the time the server logged them (the pipe may deliver them late while we are busy).
  let windowStart = Infinity;
  let windowEnd = Infinity;
  const evaluations = server.countLogLines((entry) => entry['audit'] === true && entry['subject'] === 'lakegate:live'
    && Number(entry['time']) >= windowStart && Number(entry['time']) < windowEnd);
  const clients: Client[] = [];
  try {
    const url = `${server.url.replace('http', 'ws')}/graphql`;
    const tokens = callerTokens(loaded.config.auth, secret, 'analyst', CONNECTIONS);
    await sleep(1_000);
    const before = server.rssBytes();
    for (const token of tokens) clients.push(wsClient(url, token));
    const query = 'subscription { orders(from: "2024-03-01", to: "2024-04-01", grain: DAY, groupBy: [CHANNEL]) { time channel value } }';
    const subscribers = Array.from({ length: SUBSCRIPTIONS }, (_, index) => subscribe(clients[index % CONNECTIONS]!, query));
    await Promise.all(subscribers.map((subscriber) => subscriber.until('the first series', () => subscriber.messages.length > 0, 120_000)));
    const opened = server.rssBytes();
    windowStart = Date.now();
    await sleep(INTERVALS * FRESHNESS_S * 1_000);
    windowEnd = Date.now();
    await sleep(1_000);
    const perInterval = evaluations() / INTERVALS;
    const after = server.rssBytes();
    const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
    process.stdout.write(`\nLive KPIs: ${SUBSCRIPTIONS} subscriptions on one KPI over ${CONNECTIONS} connections, freshness ${FRESHNESS_S} s\n`);
    process.stdout.write(`  server RSS ${mb(before)} before, ${mb(opened)} with them open (${((opened - before) / SUBSCRIPTIONS / 1024).toFixed(1)} KB each), ${mb(after)} after ${INTERVALS} intervals\n`);
    process.stdout.write(`  evaluations per interval: ${perInterval.toFixed(1)} (one engine query each when the cache entry expired)\n`);
    subscribers.forEach((subscriber) => subscriber.stop());
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await server.stop();
    rmSync(config, { force: true });
  }
}
