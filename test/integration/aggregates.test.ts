import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { compare } from '../support/oracle';

let app: TestApp;
let transactions: Record<string, unknown>[];

before(async () => {
  app = await startTestApp();
  transactions = await app.lake.rawRows('transactions');
});
after(() => app.close());

async function aggregate(query: string): Promise<Record<string, unknown>[]> {
  const response = await app.graphql(query);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return response.body.data.transactionsAggregate;
}

function cents(amount: unknown): bigint {
  const [whole = '0', fraction = ''] = String(amount).split('.');
  return BigInt(whole + fraction.padEnd(2, '0'));
}

function formatCents(value: bigint): string {
  const text = value.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

test('without groupBy: one row with exact count, sum, min, max and average', async () => {
  const [row] = await aggregate('{ transactionsAggregate { count sum { amount } avg { amount } min { amount ts } max { amount } countDistinct { customerId } } }');
  const total = transactions.reduce((sum, tx) => sum + cents(tx['amount']), 0n);
  const amounts = transactions.map((tx) => String(tx['amount'])).sort((a, b) => compare(a, b, 'decimal'));
  assert.equal(row!['count'], String(transactions.length));
  assert.deepEqual(row!['sum'], { amount: formatCents(total) });
  assert.equal((row!['min'] as Record<string, string>)['amount'], amounts[0]);
  assert.equal((row!['max'] as Record<string, string>)['amount'], amounts.at(-1));
  assert.ok(Math.abs((row!['avg'] as Record<string, number>)['amount']! - Number(total) / 100 / transactions.length) < 1e-6);
  assert.equal((row!['countDistinct'] as Record<string, string>)['customerId'], String(new Set(transactions.map((tx) => tx['customer_id'])).size));
});

test('groupBy counts per group, nulls forming their own group', async () => {
  const rows = await aggregate('{ transactionsAggregate(groupBy: [CHANNEL, STATUS]) { key { channel status currency } count } }');
  const expected = new Map<string, number>();
  for (const tx of transactions) {
    const key = `${tx['channel']}|${tx['status']}`;
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  assert.equal(rows.length, expected.size);
  for (const row of rows) {
    const key = row['key'] as { channel: string | null; status: string; currency: string | null };
    assert.equal(key.currency, null, 'a column outside groupBy reads null in key');
    assert.equal(row['count'], String(expected.get(`${key.channel}|${key.status}`)));
  }
  assert.ok(rows.some((row) => (row['key'] as { channel: unknown }).channel === null));
});

test('timeGroup buckets by day, ordered by the bucket', async () => {
  const rows = await aggregate('{ transactionsAggregate(timeGroup: { column: TS, grain: DAY }, orderBy: [{ key: { ts: ASC } }], limit: 1000) { key { ts } count } }');
  const perDay = new Map<string, number>();
  for (const tx of transactions) perDay.set(String(tx['dt']), (perDay.get(String(tx['dt'])) ?? 0) + 1);
  assert.deepEqual(
    rows.map((row) => [(row['key'] as { ts: string }).ts, row['count']]),
    [...perDay.entries()].sort().map(([day, count]) => [`${day}T00:00:00Z`, String(count)]),
  );
});

test('groupBy with a monthly bucket, ordered by a measure, limited', async () => {
  const rows = await aggregate('{ transactionsAggregate(where: { status: { eq: "completed" } }, groupBy: [CURRENCY], timeGroup: { column: TS, grain: MONTH }, orderBy: [{ sum: { amount: DESC } }], limit: 5) { key { currency ts } sum { amount } } }');
  const sums = new Map<string, bigint>();
  for (const tx of transactions.filter((row) => row['status'] === 'completed')) {
    const key = `${tx['currency']}|${String(tx['dt']).slice(0, 7)}-01T00:00:00Z`;
    sums.set(key, (sums.get(key) ?? 0n) + cents(tx['amount']));
  }
  const expected = [...sums.entries()].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0)).slice(0, 5);
  assert.deepEqual(
    rows.map((row) => [`${(row['key'] as { currency: string }).currency}|${(row['key'] as { ts: string }).ts}`, (row['sum'] as { amount: string }).amount]),
    expected.map(([key, value]) => [key, formatCents(value)]),
  );
});

test('ordering by a key outside groupBy, or grouping a column twice, is a BAD_USER_INPUT', async () => {
  for (const query of [
    '{ transactionsAggregate(groupBy: [STATUS], orderBy: [{ key: { channel: ASC } }]) { count } }',
    '{ transactionsAggregate(groupBy: [TS], timeGroup: { column: TS, grain: DAY }) { count } }',
  ]) {
    const response = await app.graphql(query);
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(response.body));
  }
});
