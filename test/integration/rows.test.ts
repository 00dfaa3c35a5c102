import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { compare, matches, TRANSACTION_COLUMNS, type Filter } from '../support/oracle';

let app: TestApp;
let transactions: Record<string, unknown>[];
let events: Record<string, unknown>[];

before(async () => {
  app = await startTestApp();
  transactions = await app.lake.rawRows('transactions');
  events = await app.lake.rawRows('events');
});
after(() => app.close());

async function data(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await app.graphql(query, variables);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return response.body.data;
}

async function transactionIds(where: Filter): Promise<string[]> {
  const result = await data('query($where: TransactionFilter) { transactions(where: $where, limit: 10000) { transactionId } }', { where });
  return (result['transactions'] as { transactionId: string }[]).map((row) => row.transactionId).sort();
}

function expectedIds(where: Filter): string[] {
  return transactions.filter((row) => matches(row, where, TRANSACTION_COLUMNS)).map((row) => String(row['transaction_id'])).sort();
}

describe('reading a dataset', () => {
  test('returns typed values: BigInt and Decimal as strings, DateTime in ISO UTC', async () => {
    const result = await data('{ transactions(limit: 3, orderBy: [{ transactionId: ASC }]) { transactionId customerId amount currency ts dt } }');
    const rows = result['transactions'] as Record<string, string>[];
    assert.equal(rows.length, 3);
    const first = transactions.slice().sort((a, b) => compare(a['transaction_id'], b['transaction_id'], 'bigint'))[0]!;
    assert.equal(rows[0]!.transactionId, String(first['transaction_id']));
    assert.equal(rows[0]!.amount, String(first['amount']));
    for (const row of rows) {
      assert.match(row.transactionId!, /^\d+$/);
      assert.match(row.amount!, /^\d+\.\d{2}$/);
      assert.match(row.ts!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      assert.equal(row.ts!.slice(0, 10), row.dt);
    }
  });

  test('applies the default limit', async () => {
    const result = await data('{ transactions { transactionId } }');
    assert.equal((result['transactions'] as unknown[]).length, app.loaded.config.limits.defaultLimit);
  });

  const sample = (): Record<string, unknown> => transactions[17]!;
  const cases: [string, () => Filter][] = [
    ['eq on a bigint', () => ({ customerId: { eq: String(sample()['customer_id']) } })],
    ['ne on a string (nulls excluded)', () => ({ channel: { ne: 'web' } })],
    ['gt on a decimal', () => ({ amount: { gt: '250.00' } })],
    ['gte with a number literal', () => ({ amount: { gte: 100 } })],
    ['lt on a timestamp with an offset', () => ({ ts: { lt: '2024-01-15T09:00:00+09:00' } })],
    ['lte on the partition column', () => ({ dt: { lte: '2024-01-10' } })],
    ['in', () => ({ status: { in: ['refunded', 'failed'] } })],
    ['notIn (nulls excluded)', () => ({ channel: { notIn: ['store'] } })],
    ['isNull true', () => ({ channel: { isNull: true } })],
    ['isNull false', () => ({ channel: { isNull: false } })],
    ['like', () => ({ currency: { like: 'J%' } })],
    ['notLike with _', () => ({ status: { notLike: '_ending' } })],
    ['several operators on one field', () => ({ amount: { gte: 50, lt: 60 } })],
    ['and / or / not', () => ({ or: [{ channel: { eq: 'app' } }, { and: [{ status: { eq: 'failed' } }, { not: { currency: { eq: 'USD' } } }] }] })],
    ['not over a null comparison stays unknown', () => ({ not: { channel: { eq: 'web' } } })],
    ['empty in matches nothing', () => ({ status: { in: [] } })],
  ];
  for (const [name, filter] of cases) {
    test(`filter: ${name}`, async () => {
      const where = filter();
      const expected = expectedIds(where);
      assert.deepEqual(await transactionIds(where), expected);
      if (name !== 'empty in matches nothing') assert.ok(expected.length > 0, 'the case should select some rows');
    });
  }

  test('filters on nested struct fields', async () => {
    const result = await data('{ events(where: { device: { os: { eq: "ios" }, browser: { isNull: false } } }, limit: 10000) { eventId device { os browser } } }');
    const rows = result['events'] as { eventId: string; device: { os: string; browser: string } }[];
    const expected = events.filter((row) => {
      const device = row['device'] as { os: string; browser: string | null } | null;
      return device?.os === 'ios' && device.browser !== null;
    });
    assert.equal(rows.length, expected.length);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((row) => row.device.os === 'ios' && row.device.browser !== null));
  });

  test('returns array-of-struct fields', async () => {
    const result = await data('{ events(where: { eventType: { eq: "add_to_cart" } }, limit: 5) { eventId items { sku qty } } }');
    const rows = result['events'] as { eventId: string; items: { sku: string; qty: number }[] }[];
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const raw = events.find((event) => event['event_id'] === row.eventId)!;
      const rawItems = raw['items'] as { sku: string; qty: string | number }[];
      assert.deepEqual(row.items, rawItems.map((item) => ({ sku: item.sku, qty: Number(item.qty) })));
      assert.ok(row.items.length > 0);
    }
    const employees = await data('{ employees(limit: 50) { name projects { name completed } } }');
    const people = employees['employees'] as { projects: { name: string; completed: boolean }[] }[];
    assert.ok(people.some((person) => person.projects.length > 0 && typeof person.projects[0]!.completed === 'boolean'));
  });
});

describe('ordering and paging', () => {
  test('orders with nulls where asked', async () => {
    for (const [direction, nullsFirst] of [['ASC_NULLS_FIRST', true], ['DESC_NULLS_FIRST', true], ['ASC', false], ['DESC_NULLS_LAST', false]] as const) {
      const result = await data(`{ transactions(orderBy: [{ channel: ${direction} }, { transactionId: ASC }], limit: 10000) { channel transactionId } }`);
      const rows = result['transactions'] as { channel: string | null; transactionId: string }[];
      const nullIndexes = rows.flatMap((row, index) => (row.channel === null ? [index] : []));
      assert.ok(nullIndexes.length > 0);
      const expectedNullIndexes = nullsFirst ? nullIndexes.map((_v, i) => i) : nullIndexes.map((_v, i) => rows.length - nullIndexes.length + i);
      assert.deepEqual(nullIndexes, expectedNullIndexes, direction);
      const present = rows.filter((row) => row.channel !== null).map((row) => row.channel!);
      const sorted = [...present].sort();
      assert.deepEqual(present, direction.startsWith('DESC') ? sorted.reverse() : sorted, direction);
    }
  });

  test('orders by decimal value, not text, with the primary key as tie-breaker', async () => {
    const result = await data('{ transactions(orderBy: [{ amount: DESC }], limit: 10000) { amount transactionId } }');
    const rows = result['transactions'] as { amount: string; transactionId: string }[];
    const expected = transactions
      .map((row) => ({ amount: String(row['amount']), transactionId: String(row['transaction_id']) }))
      .sort((a, b) => compare(b.amount, a.amount, 'decimal') || compare(a.transactionId, b.transactionId, 'bigint'));
    assert.deepEqual(rows, expected);
  });

  test('pages with limit and offset cover the list exactly once', async () => {
    const all = await data('{ transactions(where: { dt: { eq: "2024-01-05" } }, limit: 1000) { transactionId } }');
    const full = (all['transactions'] as { transactionId: string }[]).map((row) => row.transactionId);
    assert.ok(full.length > 7);
    const pages: string[] = [];
    for (let offset = 0; offset < full.length; offset += 7) {
      const page = await data(`{ transactions(where: { dt: { eq: "2024-01-05" } }, limit: 7, offset: ${offset}) { transactionId } }`);
      pages.push(...(page['transactions'] as { transactionId: string }[]).map((row) => row.transactionId));
    }
    assert.deepEqual(pages, full);
  });
});
