import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AthenaClient } from '@aws-sdk/client-athena';
import { startAthenaEmulator, type AthenaEmulator } from '../emulators/athena';
import { startTestApp, type TestApp } from '../support/app';

/**
 * Routing through the whole API: ad-hoc reads go to Athena (our emulator, through the real
 * SDK), the same caller gets the same rows as from the embedded engine, and a declared
 * fallback serves when Athena is down.
 */
let emulator: AthenaEmulator;
let viaAthena: TestApp;
let viaLocal: TestApp;

before(async () => {
  viaLocal = await startTestApp();
  viaAthena = await startTestApp({
    configure: (loaded) => ({
      ...loaded,
      config: {
        ...loaded.config,
        engines: { ...loaded.config.engines, athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } },
        routing: { fallbacks: { athena: 'local' } },
      },
      catalog: { ...loaded.catalog, datasets: loaded.catalog.datasets.map((dataset) => ({ ...dataset, engines: ['athena', 'local'] })) },
    }),
    engineClients: async (loaded) => {
      emulator = await startAthenaEmulator({ tables: loaded.catalog.tables, lakePath: path.resolve(loaded.dir, loaded.config.engines.local!.lakePath), s3Prefix: loaded.config.engines.local!.s3Prefix });
      return { athena: new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }) };
    },
  });
});
after(async () => {
  await viaAthena.close();
  await viaLocal.close();
});

const QUERIES: [string, string][] = [
  ['japan_sales', '{ customers(limit: 50, orderBy: [{ customerId: ASC }]) { customerId name country segment createdAt } }'],
  ['hr', '{ employees(limit: 100, orderBy: [{ name: ASC }]) { name org salary projects { name completed } } }'],
  ['eu_analyst', '{ customers(where: { email: { like: "%e%" } }, limit: 100, orderBy: [{ customerId: ASC }]) { customerId email segment } }'],
  ['analyst', '{ transactionsAggregate(groupBy: [CHANNEL], timeGroup: { column: TS, grain: MONTH }, orderBy: [{ key: { ts: ASC } }, { key: { channel: ASC } }]) { key { channel ts } count sum { amount } countDistinct { customerId } } }'],
  ['analyst', '{ events(where: { device: { os: { eq: "ios" } } }, limit: 20, orderBy: [{ eventId: ASC }]) { eventId device { os browser } items { sku qty } user { country } } }'],
];

test('the same caller gets the same rows from Athena and from the embedded engine', async () => {
  for (const [role, query] of QUERIES) {
    const athena = await viaAthena.graphql(query, {}, role);
    const local = await viaLocal.graphql(query, {}, role);
    assert.equal(athena.body.errors, undefined, JSON.stringify(athena.body.errors));
    assert.deepEqual(athena.body.data, local.body.data, `${role}: ${query}`);
    const engines = (athena.body.extensions.lakegate.queries as { engine: string; reason: string; bytesScanned: number | null }[]);
    assert.ok(engines.every((entry) => entry.engine === 'athena' && entry.reason === 'ad-hoc read → athena'), JSON.stringify(engines));
    assert.ok(engines.every((entry) => typeof entry.bytesScanned === 'number'), 'Athena reports bytes scanned');
  }
});

test('when Athena is unavailable, the declared fallback serves and says why', async () => {
  await emulator.close();
  const response = await viaAthena.graphql('{ transactions(limit: 3, orderBy: [{ transactionId: ASC }]) { transactionId } }', {}, 'analyst');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const [entry] = response.body.extensions.lakegate.queries as { engine: string; reason: string }[];
  assert.equal(entry!.engine, 'local');
  assert.equal(entry!.reason, 'ad-hoc read → athena; athena unavailable, fell back to local');
  const local = await viaLocal.graphql('{ transactions(limit: 3, orderBy: [{ transactionId: ASC }]) { transactionId } }', {}, 'analyst');
  assert.deepEqual(response.body.data, local.body.data);
});
