import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AthenaClient } from '@aws-sdk/client-athena';
import type { LoadedConfig } from '../../src/config/load';
import type { AthenaEmulator } from '../emulators/athena';
import { startTestApp, type TestApp } from '../support/app';
import { withResultCache } from '../support/cached-app';
import { createTestLake, type TestLake } from '../support/lake';
import { startAthenaOverLake } from '../support/athena-lake';

/**
 * The result cache in front of a resumable engine on the long-query path: Athena (our emulator
 * over the sample lake, through the real SDK) with `longQueries` on, so reads go through
 * `executeDetachable`. A fresh answer starts no Athena query; a completed one is stored.
 */
let lake: TestLake;
let emulator: AthenaEmulator;
let app: TestApp;

before(async () => {
  lake = await createTestLake(300);
  emulator = await startAthenaOverLake(lake.configFile);
  const cached = withResultCache({ datasets: ['customers'], ttlMs: 60_000 });
  app = await startTestApp({
    lake,
    configure: (loaded: LoadedConfig) => cached({
      ...loaded,
      config: {
        ...loaded.config,
        engines: { ...loaded.config.engines, athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } },
        longQueries: { waitMs: 5_000, graceMs: 10_000, sweepIntervalMs: 1_000, redis: { urlEnv: 'LAKEGATE_TEST_REDIS_URL_UNSET', keyPrefix: 'unused:' } },
      },
      catalog: { ...loaded.catalog, datasets: loaded.catalog.datasets.map((dataset) => ({ ...dataset, engines: ['athena'] })) },
    }),
    engineClients: async () => ({ athena: new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) }),
  });
});

after(async () => {
  await app?.close();
  await emulator?.close();
  lake?.remove();
});

test('on Athena with long queries, a completed query is stored and the repeat starts no Athena query', async () => {
  const query = '{ customers(limit: 4, orderBy: [{ customerId: ASC }]) { customerId country } }';
  const starts = emulator.calls.StartQueryExecution;
  const first = await app.graphql(query, {}, 'analyst');
  assert.equal(first.body.errors, undefined, JSON.stringify(first.body.errors));
  const second = await app.graphql(query, {}, 'analyst');
  const [miss] = first.body.extensions.lakegate.queries;
  const [hit] = second.body.extensions.lakegate.queries;
  assert.equal(miss.engine, 'athena');
  assert.equal(miss.cache, 'miss');
  assert.equal(hit.cache, 'hit');
  assert.equal(hit.queryId, miss.queryId, 'the Athena query that produced the rows');
  assert.deepEqual(second.body.data, first.body.data);
  assert.equal(emulator.calls.StartQueryExecution, starts + 1);
});
