import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AthenaClient } from '@aws-sdk/client-athena';
import type { LoadedConfig } from '../../src/config/load';
import type { AthenaEmulator } from '../emulators/athena';
import { startTestApp, type TestApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';
import { sample, scrape } from '../support/prometheus';
import { startAthenaOverLake } from '../support/athena-lake';

/**
 * Metrics only an engine like Athena moves (our emulator over the sample lake, through the real
 * SDK), with long queries kept in memory: bytes scanned, and a query that outlives its request —
 * `running` in the engine histogram and counted by `lakegate_long_queries_running` until a
 * repeat of the request takes its result.
 */
let lake: TestLake;
let emulator: AthenaEmulator;
let app: TestApp;

before(async () => {
  lake = await createTestLake(300);
  emulator = await startAthenaOverLake(lake.configFile);
  app = await startTestApp({
    lake,
    configure: (loaded: LoadedConfig) => ({
      ...loaded,
      config: {
        ...loaded.config,
        engines: { ...loaded.config.engines, athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } },
        longQueries: { waitMs: 300, graceMs: 30_000, sweepIntervalMs: 1_000, redis: { urlEnv: 'LAKEGATE_TEST_REDIS_URL_UNSET', keyPrefix: 'unused:' } },
      },
      catalog: { ...loaded.catalog, datasets: loaded.catalog.datasets.map((dataset) => ({ ...dataset, engines: ['athena'] })) },
    }),
    engineClients: async () => ({ athena: new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) }),
  });
});

afterEach(() => emulator.slow(0));

after(async () => {
  await app?.close();
  await emulator?.close();
  lake?.remove();
});

test('Athena: bytes scanned are counted by engine', async () => {
  const before = await scrape(app.lakegate);
  const response = await app.graphql('{ customers(limit: 2) { name } }');
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  const [query] = response.body.extensions.lakegate.queries as { engine: string; bytesScanned: number }[];
  assert.equal(query!.engine, 'athena');
  assert.ok(query!.bytesScanned > 0);
  const after = await scrape(app.lakegate);
  const moved = (name: string, labels: Record<string, string>): number => sample(after, name, labels) - sample(before, name, labels);
  assert.equal(moved('lakegate_engine_bytes_scanned_total', { engine: 'athena' }), query!.bytesScanned);
  assert.equal(moved('lakegate_engine_query_duration_seconds_count', { engine: 'athena', outcome: 'ok' }), 1);
});

test('a long query: `running` while it outlives its request, counted as running until its result is taken', async () => {
  const query = '{ transactions(limit: 3, orderBy: [{ amount: DESC }]) { amount } }';
  const before = await scrape(app.lakegate);
  emulator.slow(1_500);
  const first = await app.graphql(query);
  assert.equal(first.body.errors?.[0]?.extensions?.code, 'QUERY_RUNNING', JSON.stringify(first.body));
  const during = await scrape(app.lakegate);
  assert.equal(sample(during, 'lakegate_long_queries_running'), 1);
  assert.equal(sample(during, 'lakegate_engine_query_duration_seconds_count', { engine: 'athena', outcome: 'running' }) - sample(before, 'lakegate_engine_query_duration_seconds_count', { engine: 'athena', outcome: 'running' }), 1);
  assert.equal(sample(during, 'lakegate_graphql_errors_total', { code: 'QUERY_RUNNING' }) - sample(before, 'lakegate_graphql_errors_total', { code: 'QUERY_RUNNING' }), 1);

  let repeat = await app.graphql(query);
  for (let attempt = 0; attempt < 20 && repeat.body.errors; attempt += 1) {
    await sleep(200);
    repeat = await app.graphql(query);
  }
  assert.equal(repeat.body.errors, undefined, JSON.stringify(repeat.body.errors));
  assert.equal(sample(await scrape(app.lakegate), 'lakegate_long_queries_running'), 0);
});
