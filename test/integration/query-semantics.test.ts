import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { compare } from '../support/oracle';

/**
 * Query semantics the contract states (API.md, README *Querying*), each checked on the sample lake
 * against its raw files: null semantics of empty lists, the total order of aggregate groups,
 * exponent notation for decimals, DateTime precision and the per-parent default limit.
 */
let app: TestApp;
let transactions: Record<string, unknown>[];
let customers: Record<string, unknown>[];

const DEFAULT_LIMIT = 3;

before(async () => {
  app = await startTestApp({ limits: { defaultLimit: DEFAULT_LIMIT } });
  transactions = await app.lake.rawRows('transactions');
  customers = await app.lake.rawRows('customers');
});
after(() => app.close());

async function data(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await app.graphql(query, variables);
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return response.body.data;
}

async function count(where: Record<string, unknown>): Promise<number> {
  const result = await data('query($where: TransactionFilter) { transactionsAggregate(where: $where) { count } }', { where });
  return Number((result['transactionsAggregate'] as { count: string }[])[0]!.count);
}

test('empty lists: in [] matches no row, notIn [] every non-null row, and not { in [] } keeps nulls out too', async () => {
  const nonNull = transactions.filter((tx) => tx['channel'] !== null).length;
  assert.ok(nonNull < transactions.length, 'the sample has null channels');
  assert.equal(await count({ channel: { in: [] } }), 0);
  assert.equal(await count({ channel: { notIn: [] } }), nonNull);
  assert.equal(await count({ not: { channel: { in: [] } } }), nonNull);
  assert.equal(await count({ not: { channel: { notIn: [] } } }), 0);
  assert.equal(await count({ or: [{ channel: { notIn: [] } }, { channel: { isNull: true } }] }), transactions.length);
  const rows = await data('{ transactions(where: { channel: { notIn: [] } }, limit: 10000) { channel } }');
  assert.ok((rows['transactions'] as { channel: unknown }[]).every((row) => row.channel !== null));
});

test('aggregate groups are in a total order: group keys (groupBy order, then time) follow the requested order', async () => {
  const query = `{ transactionsAggregate(groupBy: [CHANNEL, STATUS], timeGroup: { column: TS, grain: MONTH }, orderBy: [{ key: { ts: ASC } }], limit: 1000) {
    key { ts channel status } count } }`;
  const first = await app.graphql(query);
  const second = await app.graphql(query);
  assert.equal(JSON.stringify(first.body.data), JSON.stringify(second.body.data), 'identical requests, identical bytes');
  const groups = (first.body.data.transactionsAggregate as { key: { ts: string; channel: string | null; status: string | null } }[]).map((row) => row.key);
  const nullsLast = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : compare(a, b, 'string'));
  const sorted = [...groups].sort((a, b) => compare(a.ts, b.ts, 'timestamp') || nullsLast(a.channel, b.channel) || nullsLast(a.status, b.status));
  assert.deepEqual(groups, sorted);
  assert.ok(groups.some((key) => key.channel === null), 'null channels form groups, ordered last within their month');
});

test('aggregate offset pages neither skip nor repeat groups', async () => {
  const page = async (offset: number): Promise<string[]> => {
    const result = await data(`{ transactionsAggregate(groupBy: [CHANNEL, CURRENCY], orderBy: [{ count: DESC }], limit: 4, offset: ${offset}) { key { channel currency } } }`);
    return (result['transactionsAggregate'] as { key: unknown }[]).map((row) => JSON.stringify(row.key));
  };
  const all = await data('{ transactionsAggregate(groupBy: [CHANNEL, CURRENCY], orderBy: [{ count: DESC }], limit: 1000) { key { channel currency } } }');
  const expected = (all['transactionsAggregate'] as { key: unknown }[]).map((row) => JSON.stringify(row.key));
  const paged: string[] = [];
  for (let offset = 0; offset < expected.length; offset += 4) paged.push(...await page(offset));
  assert.deepEqual(paged, expected);
  assert.equal(new Set(paged).size, paged.length);
});

test('Decimal inputs take exponent notation exactly (literal and variable)', async () => {
  const plain = await count({ amount: { gte: '1000' } });
  assert.ok(plain > 0);
  const literal = await data('{ transactionsAggregate(where: { amount: { gte: 1e3 } }) { count } }');
  assert.equal(Number((literal['transactionsAggregate'] as { count: string }[])[0]!.count), plain);
  assert.equal(await count({ amount: { gte: '1.0e3' } }), plain);
  assert.equal(await count({ amount: { gte: 1e3 } }), plain);
  const cents = transactions.filter((tx) => tx['amount'] !== null && compare(tx['amount'], '12.5', 'decimal') === 0).length;
  assert.equal(await count({ amount: { eq: '1.25e1' } }), cents);
});

test('DateTime inputs: a date alone is midnight UTC, minutes without seconds work, a seventh fractional digit is BAD_USER_INPUT', async () => {
  const midnight = transactions.filter((tx) => compare(tx['ts'], '2024-03-01 00:00:00', 'timestamp') >= 0).length;
  assert.equal(await count({ ts: { gte: '2024-03-01' } }), midnight);
  assert.equal(await count({ ts: { gte: '2024-03-01T00:00Z' } }), midnight);
  assert.equal(await count({ ts: { gte: '2024-03-01T09:00+09:00' } }), midnight);
  const response = await app.graphql('{ transactions(where: { ts: { gte: "2024-03-01T00:00:00.0000001Z" } }) { transactionId } }');
  assert.equal(response.status, 400);
  assert.equal(response.body.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(response.body.errors[0].message, /at most 6 fractional digits/);
  const variable = await app.graphql('query($ts: DateTime) { transactions(where: { ts: { gte: $ts } }) { transactionId } }', { ts: '2024-03-01T00:00:00.1234567Z' });
  assert.equal(variable.status, 400);
  assert.equal(variable.body.errors[0].extensions.code, 'BAD_USER_INPUT');
});

test("a one-to-many relation's default limit applies per parent, not to the whole level", async () => {
  const result = await data('{ customers(limit: 30, orderBy: [{ customerId: ASC }]) { customerId transactions { transactionId } } }');
  const perCustomer = new Map<string, number>();
  for (const tx of transactions) perCustomer.set(String(tx['customer_id']), (perCustomer.get(String(tx['customer_id'])) ?? 0) + 1);
  const rows = result['customers'] as { customerId: string; transactions: unknown[] }[];
  assert.equal(rows.length, 30);
  assert.ok(customers.length >= 30);
  for (const row of rows) assert.equal(row.transactions.length, Math.min(DEFAULT_LIMIT, perCustomer.get(row.customerId) ?? 0), `customer ${row.customerId}`);
  assert.ok(rows.filter((row) => row.transactions.length === DEFAULT_LIMIT).length > 1, 'several parents reach the limit each');
});
