import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { formatIssue, loadConfig } from '../../src/config/load';
import { startTestApp, type TestApp } from '../support/app';
import { HeldQueries } from '../support/held-queries';
import { createTestLake, type TestLake } from '../support/lake';

/**
 * `requirePartitionFilter: true` on `transactions` (partitioned by `dt`), set in the curation file
 * itself: a read, aggregate, KPI or relation load that gives the engine no partition to skip is
 * LIMIT_EXCEEDED naming the column, and nothing runs; with an eq / in / range on `dt` at the top
 * of the filter (or in every branch of an `or`) it runs.
 */
let lake: TestLake;
let app: TestApp;
const held = new HeldQueries();

before(async () => {
  lake = await createTestLake(300);
  const document = YAML.parse(readFileSync(lake.configFile, 'utf8')) as { datasets: { name: string }[]; kpis: unknown[] };
  const transactions = document.datasets.find((dataset) => dataset.name === 'transactions')!;
  Object.assign(transactions, { requirePartitionFilter: true });
  // A KPI the caller can bound by partition: `dt` is one of its dimensions.
  document.kpis.push({ name: 'dailyOrders', dataset: 'transactions', measure: 'count', time: 'ts', grains: ['DAY'], dimensions: ['dt', 'channel'] });
  writeFileSync(lake.configFile, YAML.stringify(document));
  app = await startTestApp({ lake, decorateEngine: held.decorate });
});

after(async () => {
  await app?.close();
  lake?.remove();
});

const MARCH_FIRST = '{ dt: { eq: "2024-03-01" } }';

function assertRefused(response: { status: number; body: { errors?: { message: string; extensions: Record<string, unknown> }[] } }, path: string): void {
  assert.equal(response.status, 400, JSON.stringify(response.body));
  const [error] = response.body.errors!;
  assert.equal(error!.extensions['code'], 'LIMIT_EXCEEDED');
  assert.deepEqual(error!.extensions['partitionColumns'], ['dt']);
  assert.equal(error!.message, `${path}: dataset "transactions" must be filtered on its partition column dt (eq, in, or a range, not only under or/not) so the engine reads only some partitions`);
}

async function refusedWithoutRunning(query: string, path: string): Promise<void> {
  const before = held.started.length;
  assertRefused(await app.graphql(query, {}, 'analyst'), path);
  assert.equal(held.started.length, before, `nothing ran for ${query}`);
}

async function runs(query: string): Promise<Record<string, unknown>> {
  const response = await app.graphql(query, {}, 'analyst');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return response.body.data as Record<string, unknown>;
}

test('the curation file carries the setting; a dataset without a partition column cannot have it', () => {
  const loaded = loadConfig(lake.configFile);
  assert.equal(loaded.value?.catalog.datasets.find((dataset) => dataset.name === 'transactions')?.requirePartitionFilter, true);
  const document = YAML.parse(readFileSync(lake.configFile, 'utf8')) as { datasets: { name: string }[] };
  const index = document.datasets.findIndex((dataset) => dataset.name === 'customers');
  Object.assign(document.datasets[index]!, { requirePartitionFilter: true });
  const broken = `${lake.configFile}.broken.yaml`;
  writeFileSync(broken, YAML.stringify(document));
  const issues = loadConfig(broken).issues.map(formatIssue).join('\n');
  assert.match(issues, new RegExp(`datasets\\[${index}\\]\\.requirePartitionFilter: sales\\.customers has no exposed partition column to filter on`));
});

test('rows: refused without a partition filter, run with one', async () => {
  await refusedWithoutRunning('{ transactions(limit: 5) { transactionId } }', 'transactions');
  await refusedWithoutRunning('{ transactions(where: { amount: { gte: 100 } }, limit: 5) { transactionId } }', 'transactions');
  await refusedWithoutRunning('{ transactions(where: { dt: { ne: "2024-03-01" } }, limit: 5) { transactionId } }', 'transactions');
  await refusedWithoutRunning('{ transactions(where: { or: [{ dt: { eq: "2024-03-01" } }, { channel: { eq: "web" } }] }, limit: 5) { transactionId } }', 'transactions');
  const rows = await runs(`{ transactions(where: ${MARCH_FIRST}, limit: 500) { transactionId dt } }`);
  const read = rows['transactions'] as { dt: string }[];
  assert.ok(read.length > 0 && read.every((row) => row.dt === '2024-03-01'));
  await runs('{ transactions(where: { dt: { in: ["2024-03-01", "2024-03-02"] }, amount: { gte: 100 } }, limit: 5) { transactionId } }');
  await runs('{ transactions(where: { and: [{ dt: { gte: "2024-03-01" } }, { dt: { lt: "2024-03-08" } }] }, limit: 5) { transactionId } }');
  await runs('{ transactions(where: { or: [{ dt: { eq: "2024-03-01" } }, { dt: { eq: "2024-03-05" }, channel: { eq: "web" } }] }, limit: 5) { transactionId } }');
});

test('aggregates: refused without, run with', async () => {
  await refusedWithoutRunning('{ transactionsAggregate(groupBy: [CHANNEL]) { key { channel } count } }', 'transactionsAggregate');
  await runs(`{ transactionsAggregate(where: ${MARCH_FIRST}, groupBy: [CHANNEL]) { key { channel } count } }`);
});

test('KPIs: a time range on a column that is not the partition column does not count; a filter on a partition dimension does', async () => {
  await refusedWithoutRunning('{ kpis { orders(from: "2024-03-01", to: "2024-03-04", grain: DAY) { time value } } }', 'kpis.orders');
  await refusedWithoutRunning('{ kpis { orders(grain: DAY) { time value } } }', 'kpis.orders(latest)');
  await refusedWithoutRunning('{ kpis { dailyOrders(from: "2024-03-01", to: "2024-03-04", grain: DAY) { time value } } }', 'kpis.dailyOrders');
  const data = await runs(`{ kpis { dailyOrders(from: "2024-03-01", to: "2024-03-04", grain: DAY, where: { dt: { gte: "2024-03-01", lt: "2024-03-04" } }) { time value } } }`);
  assert.equal((data['kpis'] as { dailyOrders: unknown[] }).dailyOrders.length, 3);
});

test('relation loads into the dataset need a partition filter too (the parent keys bound no partition)', async () => {
  const before = held.startedOn('transactions');
  const response = await app.graphql('{ customers(limit: 2, orderBy: [{ customerId: ASC }]) { customerId transactions(limit: 2) { transactionId } } }', {}, 'analyst');
  assertRefused(response, 'customers.transactions');
  assert.equal(held.startedOn('transactions'), before, 'the relation level did not run');
  await runs(`{ customers(limit: 2) { customerId transactions(where: ${MARCH_FIRST}, limit: 2) { transactionId } } }`);
  await runs('{ transactions(where: { dt: { eq: "2024-03-01" } }, limit: 2) { transactionId customer { name } } }');
});

test('a cursor page is guarded like the list field', async () => {
  await refusedWithoutRunning('{ transactionsPage(first: 10) { rows { transactionId } } }', 'transactionsPage');
  const response = await app.graphql(`{ transactionsPage(first: 10, where: ${MARCH_FIRST}) { rows { transactionId } pageInfo { hasNextPage } } }`, {}, 'analyst');
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  const list = await app.graphql(`{ transactions(limit: 10, where: ${MARCH_FIRST}) { transactionId } }`, {}, 'analyst');
  assert.deepEqual(response.body.data.transactionsPage.rows, list.body.data.transactions);
});
