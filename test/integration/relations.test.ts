import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { compare } from '../support/oracle';

let app: TestApp;
let customers: Map<string, Record<string, unknown>>;
let transactions: Record<string, unknown>[];

before(async () => {
  app = await startTestApp();
  customers = new Map((await app.lake.rawRows('customers')).map((row) => [String(row['customer_id']), row]));
  transactions = await app.lake.rawRows('transactions');
});
after(() => app.close());

interface Stats { path: string; engine: string; rows: number }

async function run(query: string): Promise<{ data: Record<string, unknown>; queries: Stats[] }> {
  const response = await app.graphql(query);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return { data: response.body.data, queries: response.body.extensions.lakegate.queries };
}

test('many-to-one: one engine query for all parents, correct rows', async () => {
  const { data, queries } = await run('{ transactions(limit: 200) { customerId customer { customerId name country } } }');
  const rows = data['transactions'] as { customerId: string; customer: { customerId: string; name: string; country: string } }[];
  assert.equal(rows.length, 200);
  for (const row of rows) {
    const raw = customers.get(row.customerId)!;
    assert.deepEqual(row.customer, { customerId: row.customerId, name: raw['name'], country: raw['country'] });
  }
  assert.deepEqual(queries.map((q) => q.path), ['transactions', 'transactions.customer']);
  assert.ok(queries.every((q) => q.engine === 'local'));
});

test('one-to-many with its own where, orderBy and per-parent limit, in one query', async () => {
  const { data, queries } = await run(`{ customers(limit: 40, orderBy: [{ customerId: ASC }]) {
    customerId
    transactions(where: { status: { eq: "completed" } }, orderBy: [{ amount: DESC }], limit: 3) { transactionId amount }
  } }`);
  const rows = data['customers'] as { customerId: string; transactions: { transactionId: string; amount: string }[] }[];
  assert.equal(queries.length, 2);
  let withNone = 0;
  for (const row of rows) {
    const expected = transactions
      .filter((tx) => String(tx['customer_id']) === row.customerId && tx['status'] === 'completed')
      .sort((a, b) => compare(b['amount'], a['amount'], 'decimal') || compare(a['transaction_id'], b['transaction_id'], 'bigint'))
      .slice(0, 3)
      .map((tx) => ({ transactionId: String(tx['transaction_id']), amount: String(tx['amount']) }));
    assert.deepEqual(row.transactions, expected, `customer ${row.customerId}`);
    if (expected.length === 0) withNone += 1;
  }
  assert.ok(withNone < rows.length);
});

test('nested relations cost one query per level, not per row', async () => {
  const { data, queries } = await run('{ customers(limit: 25) { name transactions(limit: 5) { amount customer { name } } } }');
  assert.deepEqual(queries.map((q) => q.path), ['customers', 'customers.transactions', 'customers.transactions.customer']);
  const rows = data['customers'] as { name: string; transactions: { customer: { name: string } }[] }[];
  for (const row of rows) for (const tx of row.transactions) assert.equal(tx.customer.name, row.name);
});

test('a null foreign key resolves to null without a lookup', async () => {
  const { data } = await run('{ events(where: { userId: { isNull: true } }, limit: 5) { eventId user { name } } }');
  const rows = data['events'] as { user: unknown }[];
  assert.ok(rows.length > 0);
  assert.ok(rows.every((row) => row.user === null));
});
