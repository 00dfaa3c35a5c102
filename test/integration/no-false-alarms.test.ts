import assert from 'node:assert/strict';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AthenaClient } from '@aws-sdk/client-athena';
import pino from 'pino';
import { formatIssue, loadConfig, type LoadedConfig } from '../../src/config/load';
import type { LimitsConfig } from '../../src/config/schema';
import { startAthenaEmulator, type AthenaEmulator } from '../emulators/athena';
import { startTestApp, type TestApp } from '../support/app';
import { withResultCache } from '../support/cached-app';
import { createTestLake, type TestLake } from '../support/lake';
import { EngineQueryCount } from '../support/query-count';

/**
 * No false alarms under load: 30+ engine queries at once under every signal they share — one
 * request's (aliases, cached or not), the KPI refresher's, an engine's shutdown signal (Athena) —
 * raise no process warning (MaxListenersExceededWarning was one) and write nothing to stderr,
 * and every log line of the burst is JSON.
 */
const CONCURRENT = 30;
/** Room for 30 root fields and queries at once, whatever limits the configuration defaults to. */
const ROOMY_LIMITS: Partial<LimitsConfig> = {
  maxAliases: 100, maxRootFields: 100, maxCost: 1_000_000, requestsPerWindow: 0, concurrentQueriesPerCaller: 0, maxConcurrentQueries: 100, maxQueueMs: 30_000,
};

let lake: TestLake;
let emulator: AthenaEmulator;
let local: TestApp;
let athena: TestApp;
const logChunks: string[] = [];
const engineQueries = new EngineQueryCount();

const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logChunks.push(chunk.toString());
    done();
  },
});

/** `orders` is refreshed every 300 ms, so the refresher runs every requested series at once under its one stop signal. */
const refreshedOrders = (loaded: LoadedConfig): LoadedConfig => ({
  ...loaded,
  catalog: { ...loaded.catalog, kpis: loaded.catalog.kpis.map((kpi) => (kpi.name === 'orders' ? { ...kpi, refreshMs: 300 } : kpi)) },
});

before(async () => {
  lake = await createTestLake(500);
  const loaded = loadConfig(lake.configFile);
  if (!loaded.value) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const settings = loaded.value.config.engines.local!;
  emulator = await startAthenaEmulator({ tables: loaded.value.catalog.tables, lakePath: path.resolve(loaded.value.dir, settings.lakePath), s3Prefix: settings.s3Prefix });
  const logger = pino({ level: 'debug' }, sink);
  const cached = withResultCache({ datasets: ['customers'], ttlMs: 60_000 });
  local = await startTestApp({ lake, logger, limits: ROOMY_LIMITS, decorateEngine: engineQueries.decorate, configure: (config) => refreshedOrders(cached(config)) });
  athena = await startTestApp({
    lake,
    logger,
    limits: ROOMY_LIMITS,
    configure: (config: LoadedConfig) => ({
      ...config,
      config: { ...config.config, engines: { ...config.config.engines, athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } } },
      catalog: { ...config.catalog, datasets: config.catalog.datasets.map((dataset) => ({ ...dataset, engines: ['athena'] })) },
    }),
    engineClients: async () => ({ athena: new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) }),
  });
});

after(async () => {
  await local?.close();
  await athena?.close();
  await emulator?.close();
  lake?.remove();
});

/** Runs `burst` while recording process warnings and whatever reaches stderr. */
async function watchingProcess(burst: () => Promise<void>): Promise<{ warnings: string[]; stderr: string[] }> {
  const warnings: string[] = [];
  const stderr: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
  const write = process.stderr.write.bind(process.stderr);
  process.on('warning', onWarning);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr.push(chunk.toString());
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    await burst();
    // A warning is emitted on the next tick: let it arrive.
    await sleep(50);
  } finally {
    process.stderr.write = write;
    process.off('warning', onWarning);
  }
  return { warnings, stderr };
}

const aliased = (count: number, field: (index: number) => string): string => `{ ${Array.from({ length: count }, (_, index) => `q${index}: ${field(index)}`).join(' ')} }`;

async function expectAnswers(app: TestApp, query: string, engineQueriesAtLeast: number): Promise<void> {
  const response = await app.graphql(query);
  assert.equal(response.status, 200);
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors)?.slice(0, 500));
  assert.ok(response.body.extensions.lakegate.queries.length >= engineQueriesAtLeast);
}

test(`${CONCURRENT} engine queries at once under each shared signal: no process warning, nothing on stderr, every log line JSON`, async () => {
  logChunks.length = 0;
  const { warnings, stderr } = await watchingProcess(async () => {
    // One request's signal, shared by its queries: plain reads, then reads through the result cache (single-flight).
    await expectAnswers(local, aliased(CONCURRENT, (index) => `transactions(limit: ${index + 1}) { amount }`), CONCURRENT);
    await expectAnswers(local, aliased(CONCURRENT, (index) => `customers(limit: ${index + 1}) { name }`), CONCURRENT);
    // Many requests at once, each with a relation level.
    await Promise.all(Array.from({ length: CONCURRENT }, (_, index) => expectAnswers(local, `{ customers(limit: ${index + 1}, offset: 1) { name transactions(limit: 1) { amount } } }`, 2)));
    // An engine's shutdown signal, shared by all its running queries (Athena): one request, and many.
    await expectAnswers(athena, aliased(CONCURRENT, (index) => `customers(limit: ${index + 1}) { name }`), CONCURRENT);
    await Promise.all(Array.from({ length: CONCURRENT }, (_, index) => expectAnswers(athena, `{ transactions(limit: ${index + 1}) { amount } }`, 1)));
    // Last (it goes on refreshing until the app closes): KPI series in one request, then the refresher running all of them at once under its stop signal.
    const ranges = Array.from({ length: CONCURRENT }, (_, index) => `from: "${new Date(Date.UTC(2024, 1, 1 + index)).toISOString().slice(0, 10)}", to: "2024-04-01"`);
    await expectAnswers(local, `{ kpis ${aliased(CONCURRENT, (index) => `orders(${ranges[index]}, grain: DAY) { value }`)} }`, CONCURRENT);
    const refreshedFrom = engineQueries.count;
    for (let waited = 0; waited < 5_000 && engineQueries.count - refreshedFrom < CONCURRENT; waited += 100) await sleep(100);
    assert.ok(engineQueries.count - refreshedFrom >= CONCURRENT, `the refresher ran every series (${engineQueries.count - refreshedFrom} queries)`);
  });
  assert.deepEqual(warnings, [], 'no process warning');
  assert.deepEqual(stderr, [], 'nothing written to stderr');
  const lines = logChunks.join('').split('\n').filter((line) => line !== '');
  assert.ok(lines.length >= CONCURRENT * 4, `the burst was logged (${lines.length} lines)`);
  for (const line of lines) {
    const parsed = JSON.parse(line) as { level?: unknown; time?: unknown; msg?: unknown };
    assert.equal(typeof parsed.level, 'number', line);
    assert.equal(typeof parsed.time, 'number', line);
    assert.equal(typeof parsed.msg, 'string', line);
  }
});
