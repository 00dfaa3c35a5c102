import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AthenaClient } from '@aws-sdk/client-athena';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import pg from 'pg';
import { loadConfig, type LoadedConfig } from '../../src/config/load';
import { startAthenaEmulator, type AthenaEmulator } from '../emulators/athena';
import { startRedshiftDataEmulator, type RedshiftDataEmulator } from '../emulators/redshift-data';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app';
import { abandonExport, callExport, parseNdjson } from '../support/export-client';
import { assertComplete, assertExportEquals, assertRefused, graphqlRows, type ExportTarget } from '../support/export-checks';
import { createTestLake, type TestLake } from '../support/lake';
import { StreamWatch } from '../support/stream-watch';

/**
 * /export on the AWS engines and Redshift over PostgreSQL: Athena (our emulator over the sample
 * lake, GetQueryResults pages of at most 1,000 rows), the Redshift Data API (its emulator on
 * PostgreSQL, pages of 100 records) and Redshift over the PostgreSQL wire (a cursor). Each export
 * equals the same read through /graphql on the same engine, is not cut at maxLimit, and a client
 * that leaves stops the engine query.
 */
const DATABASE = 'lakegate_export_test';
const SCHEMA = 'spectrum_sales';
const ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };
const ROWS = 3_000;
const MAX_LIMIT = 1_000;
/** A row only Redshift holds: an id past 2^53 and the largest numeric(12,2). */
const UNSAFE_ID = '9007199254740993';
const AWS = { region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

let lake: TestLake;
let athena: AthenaEmulator;
let dataApi: RedshiftDataEmulator;
const apps: Record<'athena' | 'dataApi' | 'pg', { app: TestApp; target: ExportTarget; watch: StreamWatch }> = {} as never;

async function loadSales(): Promise<void> {
  const admin = new pg.Client(ADMIN);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const client = new pg.Client({ ...ADMIN, database: DATABASE });
  await client.connect();
  await client.query(`CREATE SCHEMA ${SCHEMA}`);
  await client.query(`CREATE TABLE ${SCHEMA}.transactions (transaction_id bigint, customer_id bigint, amount numeric(12,2), currency text, status text, channel text, ts timestamp, dt text)`);
  const columns = ['transaction_id', 'customer_id', 'amount', 'currency', 'status', 'channel', 'ts', 'dt'];
  const rows = await lake.rawRows('transactions');
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const values = batch.map((_row, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO ${SCHEMA}.transactions (${columns.join(', ')}) VALUES ${values}`, batch.flatMap((row) => columns.map((name) => row[name] ?? null)));
  }
  await client.query(`INSERT INTO ${SCHEMA}.transactions VALUES (${UNSAFE_ID}, 1, 9999999999.99, 'EUR', 'completed', NULL, '2024-12-31 23:59:59.999', '2024-12-31')`);
  await client.end();
}

/** An app over the shared lake whose sales datasets (or every dataset, for Athena) are read by `engine` only. */
async function appOn(
  engine: 'athena' | 'redshift',
  engines: (loaded: LoadedConfig) => LoadedConfig['config']['engines'],
  clients: TestAppOptions['engineClients'],
  budgets: LoadedConfig['config']['budgets'] = {},
): Promise<{ app: TestApp; target: ExportTarget; watch: StreamWatch }> {
  const watch = new StreamWatch();
  const app = await startTestApp({
    lake,
    limits: { maxLimit: MAX_LIMIT, defaultLimit: 100 },
    decorateEngine: watch.decorate,
    configure: (loaded) => ({
      ...loaded,
      config: { ...loaded.config, engines: engines(loaded), budgets },
      catalog: {
        ...loaded.catalog,
        datasets: loaded.catalog.datasets.map((dataset) => (engine === 'athena' || dataset.table.database === 'sales' ? { ...dataset, engines: [engine] } : dataset)),
      },
    }),
    ...(clients ? { engineClients: clients } : {}),
  });
  const base = await app.lakegate.listen(0, '127.0.0.1');
  return { app, watch, target: { base, token: app.token, graphql: (query, role) => app.graphql(query, {}, role) } };
}

const onAthena = (config: LoadedConfig): LoadedConfig['config']['engines'] => ({ ...config.config.engines, athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } });

before(async () => {
  lake = await createTestLake(ROWS);
  await loadSales();
  const loaded = loadConfig(lake.configFile).value!;
  const local = loaded.config.engines.local!;
  athena = await startAthenaEmulator({ tables: loaded.catalog.tables, lakePath: path.resolve(loaded.dir, local.lakePath), s3Prefix: local.s3Prefix });
  dataApi = await startRedshiftDataEmulator({
    pgConfig: { ...ADMIN, database: DATABASE },
    onConnect: async (client) => void (await client.query('SET standard_conforming_strings = off; SET escape_string_warning = off; SET TIME ZONE UTC')),
  });
  apps.athena = await appOn('athena', onAthena, async () => ({ athena: new AthenaClient({ ...AWS, endpoint: athena.endpoint }) }));
  apps.dataApi = await appOn('redshift', (config) => ({ ...config.config.engines, redshift: { mode: 'data-api', region: 'eu-west-1', database: DATABASE, clusterIdentifier: 'lakegate', dbUser: 'lakegate', schemas: { sales: SCHEMA } } }),
    async () => ({ redshiftData: new RedshiftDataClient({ ...AWS, endpoint: dataApi.endpoint, maxAttempts: 1 }) }));
  apps.pg = await appOn('redshift', (config) => ({ ...config.config.engines, redshift: { mode: 'pg', connectionString: `postgres://postgres@127.0.0.1:5432/${DATABASE}`, maxConnections: 4, schemas: { sales: SCHEMA } } }), undefined);
});

after(async () => {
  for (const { app } of Object.values(apps)) await app?.close();
  await athena?.close();
  await dataApi?.close();
  const admin = new pg.Client(ADMIN);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  lake?.remove();
});

const PAGE_QUERY = `{ transactions(orderBy: [{ amount: DESC_NULLS_LAST }], limit: ${MAX_LIMIT}) { transactionId customerId amount currency status channel ts dt } }`;
const EVERYTHING = '{ transactions(orderBy: [{ transactionId: ASC }]) { transactionId amount } }';

for (const [name, engine] of [['athena', 'athena'], ['dataApi', 'redshift'], ['pg', 'redshift']] as const) {
  describe(`export on ${name}`, () => {
    test('equals the same read through /graphql, in CSV and NDJSON', async () => {
      const { target, watch } = apps[name];
      const expected = await graphqlRows(target, PAGE_QUERY, 'transactions');
      assert.equal(expected.length, MAX_LIMIT);
      assert.ok(expected.some((row) => row['channel'] === null), 'null values');
      if (engine === 'redshift') assert.equal(expected[0]!['transactionId'], UNSAFE_ID, 'an exact big integer');
      const streams = watch.streams.length;
      await assertExportEquals(target, PAGE_QUERY, expected);
      assert.deepEqual(watch.streams.slice(streams).map((stream) => [stream.engine, stream.ended]), [[engine, 'complete'], [engine, 'complete']], 'streamed by the engine');
    });

    test('without a limit, every row: more than maxLimit', async () => {
      const { target, app } = apps[name];
      const answer = await callExport(target.base, { format: 'ndjson', query: EVERYTHING, token: app.token() });
      const total = ROWS + (engine === 'redshift' ? 1 : 0);
      assertComplete(answer, total);
      const rows = parseNdjson(answer.text).slice(0, -1);
      assert.equal(new Set(rows.map((row) => row['transactionId'])).size, total);
      assert.ok(total > MAX_LIMIT);
    });
  });
}

test('Athena: an export is charged to the caller\'s bytes budget, and refused once it is spent', async () => {
  const budgeted = await appOn('athena', onAthena, async () => ({ athena: new AthenaClient({ ...AWS, endpoint: athena.endpoint }) }), { athenaBytesPerDay: 1 });
  try {
    const first = await callExport(budgeted.target.base, { format: 'csv', query: EVERYTHING, token: budgeted.app.token() });
    assertComplete(first, ROWS);
    const second = await callExport(budgeted.target.base, { format: 'csv', query: EVERYTHING, token: budgeted.app.token() });
    assertRefused(second, 400, 'LIMIT_EXCEEDED');
    assert.equal(JSON.parse(second.text).errors[0].extensions.limit, 'athenaBytesPerDay');
  } finally {
    await budgeted.app.close();
  }
});

describe('a client that leaves stops the engine query', () => {
  test('Athena: a query still running is stopped (StopQueryExecution)', async () => {
    const { target, app } = apps.athena;
    athena.slow(3_000);
    const stops = athena.calls.StopQueryExecution;
    try {
      await abandonExport(target.base, { format: 'csv', query: EVERYTHING, token: app.token() }, { afterMs: 400 });
      for (let wait = 0; athena.calls.StopQueryExecution === stops && wait < 100; wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      athena.slow(0);
    }
    assert.equal(athena.calls.StopQueryExecution, stops + 1);
    assert.equal(athena.queries().at(-1)!.state, 'CANCELLED');
  });

  test('Redshift Data API: a statement still running is cancelled (CancelStatement)', async () => {
    const { target, app } = apps.dataApi;
    dataApi.slow(3_000);
    const cancels = dataApi.calls.CancelStatement;
    try {
      await abandonExport(target.base, { format: 'csv', query: EVERYTHING, token: app.token() }, { afterMs: 400 });
      for (let wait = 0; dataApi.calls.CancelStatement === cancels && wait < 100; wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      dataApi.slow(0);
    }
    assert.equal(dataApi.calls.CancelStatement, cancels + 1);
  });

  test('Athena: a client that leaves while pages are read ends the paging', async () => {
    const { target, app, watch } = apps.athena;
    watch.delayMs = 100;
    const index = watch.streams.length;
    const pages = athena.calls.GetQueryResults;
    try {
      await abandonExport(target.base, { format: 'csv', query: EVERYTHING, token: app.token() }, { bytes: 1 });
      const stream = await watch.ended(index);
      assert.equal(stream.ended, 'broken off');
    } finally {
      watch.delayMs = 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(athena.calls.GetQueryResults - pages < Math.ceil((ROWS + 1) / 1_000), `read ${athena.calls.GetQueryResults - pages} pages of ${Math.ceil((ROWS + 1) / 1_000)}`);
  });

  test('Redshift over PostgreSQL: the cursor\'s query is no longer running once the client left', async () => {
    const { target, app, watch } = apps.pg;
    const observer = new pg.Client({ ...ADMIN, database: DATABASE });
    await observer.connect();
    const running = async (): Promise<number> => Number((await observer.query(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND state <> 'idle' AND query ILIKE '%transactions%'", [DATABASE])).rows[0].n);
    watch.delayMs = 1_000;
    const index = watch.streams.length;
    try {
      const leaving = abandonExport(target.base, { format: 'csv', query: EVERYTHING, token: app.token() }, { bytes: 1 });
      for (let wait = 0; (watch.streams[index]?.batches ?? 0) === 0 && wait < 100; wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(await running(), 1, 'the cursor is open while the export reads');
      await leaving;
      const stream = await watch.ended(index);
      assert.equal(stream.ended, 'broken off');
      for (let wait = 0; (await running()) > 0 && wait < 50; wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(await running(), 0);
    } finally {
      watch.delayMs = 0;
      await observer.end();
    }
  });
});
