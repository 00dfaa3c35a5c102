import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AthenaClient } from '@aws-sdk/client-athena';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { LoadedConfig } from '../../src/config/load';
import type { ConfigFile } from '../../src/config/schema';
import type { EngineClients } from '../../src/server/engines';
import type { AthenaEmulator } from '../emulators/athena';
import { startRedshiftDataEmulator, type RedshiftDataEmulator } from '../emulators/redshift-data';
import { startTestApp, type TestApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';
import { pageQuery, readAllPages, readUnpaged, type PagedRead } from '../support/pages';
import { dropDatabase, loadSalesIntoPostgres, PG_ADMIN } from '../support/pg-sales';
import { startAthenaOverLake } from '../support/athena-lake';

/**
 * `<dataset>Page` on the AWS engines: Athena (emulator over the lake) and the Redshift Data API
 * (emulator over PostgreSQL) read every page from the ONE engine query the first page started
 * (GetQueryResults / GetStatementResult only), Redshift over the PostgreSQL wire seeks by key. On
 * each, reading by pages equals one unpaged read, in order, no row twice (nulls and descending
 * orders too); an engine result that is gone is a clear BAD_USER_INPUT.
 */
const DATABASE = 'lakegate_pages_test';
const SCHEMA = 'spectrum_sales';

let lake: TestLake;
let athena: AthenaEmulator;
let redshiftData: RedshiftDataEmulator;
const apps: Record<'athena' | 'redshiftData' | 'redshiftPg', TestApp> = {} as never;

/** An app over the shared lake whose sales datasets are read on `engine` only. */
function appOn(engine: string, engines: Partial<ConfigFile['engines']>, clients?: () => Promise<EngineClients>): Promise<TestApp> {
  return startTestApp({
    lake,
    configure: (loaded: LoadedConfig) => ({
      ...loaded,
      config: { ...loaded.config, engines: { ...loaded.config.engines, ...engines } },
      catalog: { ...loaded.catalog, datasets: loaded.catalog.datasets.map((dataset) => (dataset.table.database === 'sales' ? { ...dataset, engines: [engine] } : dataset)) },
    }),
    ...(clients ? { engineClients: clients } : {}),
  });
}

before(async () => {
  lake = await createTestLake(1500);
  athena = await startAthenaOverLake(lake.configFile);
  await loadSalesIntoPostgres(lake, DATABASE, SCHEMA);
  redshiftData = await startRedshiftDataEmulator({
    pgConfig: { ...PG_ADMIN, database: DATABASE },
    onConnect: async (client) => void (await client.query('SET standard_conforming_strings = off; SET escape_string_warning = off; SET TIME ZONE UTC')),
  });
  const aws = { region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  apps.athena = await appOn('athena', { athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } }, async () => ({ athena: new AthenaClient({ ...aws, endpoint: athena.endpoint }) }));
  apps.redshiftData = await appOn(
    'redshift',
    { redshift: { mode: 'data-api', region: 'eu-west-1', database: DATABASE, clusterIdentifier: 'lakegate', dbUser: 'lakegate', schemas: { sales: SCHEMA } } },
    async () => ({ redshiftData: new RedshiftDataClient({ ...aws, endpoint: redshiftData.endpoint, maxAttempts: 1 }) }),
  );
  apps.redshiftPg = await appOn('redshift', { redshift: { mode: 'pg', connectionString: `postgres://postgres@127.0.0.1:5432/${DATABASE}`, maxConnections: 4, schemas: { sales: SCHEMA } } });
});

after(async () => {
  await Promise.allSettled(Object.values(apps).map((app) => app.close()));
  await athena?.close();
  await redshiftData?.close();
  await dropDatabase(DATABASE);
  lake?.remove();
});

const READS: readonly PagedRead[] = [
  { field: 'transactions', args: 'orderBy: [{ channel: ASC }]', selection: 'transactionId channel amount ts', first: 97 },
  { field: 'transactions', args: 'where: { status: { ne: "failed" } }, orderBy: [{ channel: DESC_NULLS_FIRST }, { amount: DESC }]', selection: 'transactionId channel amount customerId', first: 250 },
  { field: 'customers', args: 'orderBy: [{ segment: DESC }]', selection: 'customerId country segment createdAt', first: 33 },
];

/** Pages equal the unpaged read on the same engine, in order, no row twice, and every page's record names that engine. */
async function checkReads(app: TestApp, engine: string): Promise<void> {
  for (const read of READS) {
    const paged = await readAllPages(app, read);
    const whole = await readUnpaged(app, read);
    const key = read.field === 'customers' ? 'customerId' : 'transactionId';
    assert.ok(paged.cursors.length >= 2, `${read.args}: several pages`);
    assert.equal(new Set(paged.rows.map((row) => row[key])).size, paged.rows.length, 'no row twice');
    assert.deepEqual(paged.rows, whole, `${engine}: ${read.args}`);
    if (read.args?.includes('channel')) assert.ok(paged.rows.some((row) => row['channel'] === null), 'nulls in the order column');
    for (const queries of paged.queries) assert.deepEqual(queries.map((query) => query['engine']), [engine]);
  }
}

test('Athena: pages equal the unpaged read, and all pages of a read come from one StartQueryExecution', async () => {
  await checkReads(apps.athena, 'athena');
  const starts = athena.calls.StartQueryExecution;
  const paged = await readAllPages(apps.athena, READS[0]!);
  assert.equal(athena.calls.StartQueryExecution - starts, 1, 'one engine query for every page');
  assert.equal(new Set(paged.queries.map((queries) => queries[0]!['queryId'])).size, 1, 'every page names that query');
  assert.ok(paged.queries.slice(1).every((queries) => queries[0]!['bytesScanned'] === 0), 'a later page scans nothing');
});

test('Redshift Data API: pages (not aligned with its 100-record result pages) come from one ExecuteStatement', async () => {
  await checkReads(apps.redshiftData, 'redshift');
  const statements = redshiftData.calls.ExecuteStatement;
  const paged = await readAllPages(apps.redshiftData, READS[0]!);
  assert.equal(redshiftData.calls.ExecuteStatement - statements, 1, 'one statement for every page');
  assert.equal(new Set(paged.queries.map((queries) => queries[0]!['queryId'])).size, 1);
});

test('Redshift over PostgreSQL: pages seek by key and equal the unpaged read', async () => {
  await checkReads(apps.redshiftPg, 'redshift');
  const paged = await readAllPages(apps.redshiftPg, READS[0]!);
  assert.equal(new Set(paged.queries.map((queries) => queries[0]!['queryId'])).size, paged.queries.length, 'one query per page');
});

test('an engine result that is gone is BAD_USER_INPUT, and an Athena cursor is no good on another engine', async () => {
  const read = READS[0]!;
  for (const [app, forget] of [[apps.athena, (id: string) => athena.forget(id)], [apps.redshiftData, (id: string) => redshiftData.forget(id)]] as const) {
    const first = await app.graphql(pageQuery(read));
    forget(first.body.extensions.lakegate.queries[0].queryId);
    const next = await app.graphql(pageQuery(read), { after: first.body.data.transactionsPage.pageInfo.endCursor });
    assert.equal(next.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(next.body));
    assert.match(next.body.errors[0].message, /result has expired; start again without `after`/);
  }
  const fromAthena = await apps.athena.graphql(pageQuery(read));
  const elsewhere = await apps.redshiftData.graphql(pageQuery(read), { after: fromAthena.body.data.transactionsPage.pageInfo.endCursor });
  assert.equal(elsewhere.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
});
