import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { startRedshiftDataEmulator, type RedshiftDataEmulator } from '../emulators/redshift-data';
import { startTestApp, type TestApp } from '../support/app';
import { dropDatabase, loadSalesIntoPostgres, PG_ADMIN } from '../support/pg-sales';

/**
 * SLA-bound reads through the whole API go to Redshift (the Data API emulator on PostgreSQL,
 * through the real SDK): the sample's sales tables are loaded into a PostgreSQL schema named
 * otherwise than the Glue database (`engines.redshift.schemas` maps it), and every caller gets the
 * same rows as from the embedded engine.
 */
const DATABASE = 'lakegate_routing_test';
const SCHEMA = 'spectrum_sales';
let emulator: RedshiftDataEmulator;
let viaRedshift: TestApp;
let viaLocal: TestApp;
/** Sales tables on both engines, not SLA-bound themselves: only SLA-bound KPIs go to Redshift. */
let kpiSla: TestApp;

before(async () => {
  viaLocal = await startTestApp();
  await loadSalesIntoPostgres(viaLocal.lake, DATABASE, SCHEMA);
  emulator = await startRedshiftDataEmulator({
    pgConfig: { ...PG_ADMIN, database: DATABASE },
    // Redshift reads backslashes in string literals as escapes, as PostgreSQL did before 9.1.
    onConnect: async (client) => void (await client.query('SET standard_conforming_strings = off; SET escape_string_warning = off; SET TIME ZONE UTC')),
  });
  viaRedshift = await withRedshift({ engines: ['redshift', 'local'], slaBound: true });
  kpiSla = await withRedshift({ engines: ['local', 'redshift'], slaBound: false });
});

/** An app over the same lake with the Data API emulator as its Redshift, the sales datasets on both engines. */
function withRedshift(sales: { engines: string[]; slaBound: boolean }): Promise<TestApp> {
  return startTestApp({
    lake: viaLocal.lake,
    configure: (loaded) => ({
      ...loaded,
      config: {
        ...loaded.config,
        engines: { ...loaded.config.engines, redshift: { mode: 'data-api', region: 'eu-west-1', database: DATABASE, clusterIdentifier: 'lakegate', dbUser: 'lakegate', schemas: { sales: SCHEMA } } },
      },
      catalog: {
        ...loaded.catalog,
        datasets: loaded.catalog.datasets.map((dataset) => (dataset.table.database === 'sales' ? { ...dataset, ...sales } : dataset)),
      },
    }),
    engineClients: async () => ({
      redshiftData: new RedshiftDataClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }),
    }),
  });
}
after(async () => {
  await kpiSla.close();
  await viaRedshift.close();
  await viaLocal.close();
  await emulator.close();
  await dropDatabase(DATABASE);
});

const QUERIES: [string, string][] = [
  ['japan_sales', '{ customers(limit: 50, orderBy: [{ customerId: ASC }]) { customerId name country segment createdAt transactions(limit: 2, orderBy: [{ amount: DESC }]) { amount currency ts } } }'],
  ['eu_analyst', '{ customers(where: { email: { like: "%\\\\_%" } }, limit: 100, orderBy: [{ customerId: ASC }]) { customerId email segment } }'],
  ['eu_analyst', '{ customers(where: { email: { like: "%a%" } }, limit: 100, orderBy: [{ customerId: ASC }]) { customerId email segment createdAt } }'],
  ['analyst', '{ transactionsAggregate(groupBy: [CHANNEL], timeGroup: { column: TS, grain: WEEK }, orderBy: [{ key: { ts: ASC } }, { key: { channel: ASC } }], limit: 1000) { key { channel ts } count sum { amount } avg { amount } countDistinct { customerId } } }'],
];

test('SLA-bound reads go to Redshift and give the same rows as the embedded engine', async () => {
  for (const [role, query] of QUERIES) {
    const redshift = await viaRedshift.graphql(query, {}, role);
    const local = await viaLocal.graphql(query, {}, role);
    assert.equal(redshift.body.errors, undefined, JSON.stringify(redshift.body.errors));
    assert.deepEqual(roundFloats(redshift.body.data), roundFloats(local.body.data), `${role}: ${query}`);
    const engines = redshift.body.extensions.lakegate.queries as { engine: string; reason: string }[];
    assert.ok(engines.every((entry) => entry.engine === 'redshift' && entry.reason === 'SLA-bound read → redshift'), JSON.stringify(engines));
  }
});

test('SLA-bound KPIs go to Redshift, the others follow their dataset, and every role gets the embedded engine\'s values', async () => {
  const kpis = `{ kpis {
    revenue(from: "2024-02-01", to: "2024-04-01", grain: WEEK, groupBy: [CURRENCY], compareTo: PREVIOUS_PERIOD) { time currency value previous change }
    orders(from: "2024-03-01", to: "2024-03-08", grain: DAY, groupBy: [STATUS]) { time status value }
    averageOrderValue(from: "2024-03-01", to: "2024-04-01", grain: MONTH, groupBy: [CHANNEL]) { time channel value }
  } }`;
  for (const role of ['analyst', 'japan_sales', 'marketing']) {
    const redshift = await kpiSla.graphql(kpis, {}, role);
    const local = await viaLocal.graphql(kpis, {}, role);
    assert.equal(redshift.body.errors, undefined, JSON.stringify(redshift.body.errors));
    assert.ok(redshift.body.data.kpis.revenue.length > 0, role);
    assert.deepEqual(roundFloats(redshift.body.data), roundFloats(local.body.data), role);
    const routes = (redshift.body.extensions.lakegate.queries as { path: string; engine: string; reason: string }[]).map((entry) => [entry.path, entry.engine, entry.reason]);
    assert.deepEqual(routes.sort(), [
      ['kpis.averageOrderValue', 'local', 'ad-hoc read → local'],
      ['kpis.orders', 'local', 'ad-hoc read → local'],
      ['kpis.revenue', 'redshift', 'SLA-bound read → redshift'],
    ], role);
  }
});

/** Float averages may differ in the last bits between engines (summation order); 12 digits agree. */
function roundFloats(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) return Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(roundFloats);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, roundFloats(inner)]));
  return value;
}
