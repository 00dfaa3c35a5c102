import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { INVALID_CURSOR } from '../../src/planner/cursor';
import { resolveCursorKeys } from '../../src/server/cursor-key';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app';
import { withResultCache } from '../support/cached-app';
import { assertPagesEqualUnpaged, pageQuery, readAllPages, readUnpaged } from '../support/pages';

/**
 * `<dataset>Page` on the embedded engine (keyset seek): reading by pages equals one unpaged read
 * in any order (nulls and descending ones too), relations are batched per page, the caller's Lake
 * Formation view holds in every page, and a cursor that is not this caller's and this query's —
 * or is forged, truncated or expired — is refused with one message.
 */
let app: TestApp;

before(async () => {
  app = await startTestApp({ rows: 1200 });
});
after(() => app.close());

const byChannel = { field: 'transactions', args: 'orderBy: [{ channel: ASC }]', selection: 'transactionId channel amount ts dt', first: 97 };

test('pages in an order with nulls equal the unpaged read, no row twice', async () => {
  const { rows } = await assertPagesEqualUnpaged(app, byChannel, 'transactionId');
  assert.ok(rows.some((row) => row['channel'] === null), 'the order column holds nulls');
});

test('descending orders, nulls first, on several keys of several types', async () => {
  await assertPagesEqualUnpaged(app, { ...byChannel, args: 'orderBy: [{ channel: DESC_NULLS_FIRST }, { amount: DESC }, { ts: ASC_NULLS_FIRST }]' }, 'transactionId');
  await assertPagesEqualUnpaged(app, { ...byChannel, args: 'where: { status: { ne: "failed" } }, orderBy: [{ dt: DESC }, { customerId: DESC_NULLS_LAST }]', first: 250 }, 'transactionId');
});

test('relations inside rows are loaded once per page, batched', async () => {
  const read = { field: 'transactions', args: 'orderBy: [{ amount: DESC }]', selection: 'transactionId customer { name segment }', first: 300 };
  const { queries } = await assertPagesEqualUnpaged(app, read, 'transactionId');
  for (const page of queries) assert.deepEqual(page.map((query) => query['path']), ['transactionsPage', 'transactionsPage.rows.customer']);
});

test('a restricted caller pages its own view: filtered rows stay hidden and masked cells stay masked, even ordered by a masked column', async () => {
  const read = { field: 'customers', args: 'orderBy: [{ segment: ASC }]', selection: 'customerId country segment email', first: 4, role: 'eu_analyst' };
  const { rows } = await assertPagesEqualUnpaged(app, read, 'customerId');
  const european = (row: Record<string, unknown>): boolean => ['DE', 'FR', 'GB'].includes(row['country'] as string);
  assert.ok(rows.every((row) => european(row) || row['segment'] === 'enterprise'), 'only the rows its filters reach');
  assert.ok(rows.every((row) => (row['email'] === null) === !european(row)), 'email masked outside its cell filter');
  assert.ok(rows.every((row) => row['segment'] === null || row['segment'] === 'enterprise'), 'segment masked outside its cell filter');
  assert.ok(rows.some((row) => row['segment'] === null) && rows.some((row) => !european(row)));
});

test('first: default, above maxLimit is LIMIT_EXCEEDED, zero or negative is BAD_USER_INPUT; the cost is priced on first', async () => {
  const over = await app.graphql('{ transactionsPage(first: 10001) { rows { transactionId } } }');
  assert.equal(over.body.errors[0].extensions.code, 'LIMIT_EXCEEDED');
  assert.equal(over.body.errors[0].extensions.limit, 'maxLimit');
  for (const first of [0, -5]) {
    const refused = await app.graphql(`{ transactionsPage(first: ${first}) { rows { transactionId } } }`);
    assert.equal(refused.body.errors[0].extensions.code, 'BAD_USER_INPUT');
  }
  const defaulted = await app.graphql('{ transactionsPage { rows { transactionId } pageInfo { hasNextPage } } }');
  assert.equal(defaulted.body.data.transactionsPage.rows.length, 100);
  const priced = await app.graphql('{ transactionsPage(first: 5000) { rows { transactionId customer { name } } } }');
  assert.deepEqual(priced.body.extensions.lakegate.cost, { engineQueries: 2, rows: 10_000, estimated: 120, max: 1000 });
});

/** A cursor's signed body with its expiry moved into the past, signed again with the server's own key. */
function expired(cursor: string): string {
  const [body] = cursor.split('.');
  const payload = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as { e: number };
  const moved = Buffer.from(JSON.stringify({ ...payload, e: Date.now() - 1_000 })).toString('base64url');
  const { key } = resolveCursorKeys(app.loaded.config.paging, {}, TEST_SECRET, pino({ level: 'silent' }));
  return `${moved}.${createHmac('sha256', key).update(moved).digest('base64url')}`;
}

test('forged, truncated, expired, other-caller and other-query cursors are BAD_USER_INPUT with one message', async () => {
  const read = { field: 'transactions', selection: 'transactionId amount', first: 10 };
  const first = await app.graphql(pageQuery(read));
  const cursor = first.body.data.transactionsPage.pageInfo.endCursor as string;
  const [body, signature] = cursor.split('.') as [string, string];
  const forgedBody = Buffer.from(Buffer.from(body, 'base64url').toString('utf8').replace(/"e":\d+/, '"e":99999999999999')).toString('base64url');
  const attempts: { what: string; after: string; query?: string; role?: string }[] = [
    { what: 'forged payload', after: `${forgedBody}.${signature}` },
    { what: 'forged signature', after: `${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}` },
    { what: 'truncated', after: cursor.slice(0, cursor.length - 5) },
    { what: 'no signature', after: body },
    { what: 'garbage', after: 'not-a-cursor' },
    { what: 'expired', after: expired(cursor) },
    { what: 'another caller', after: cursor, role: 'analyst' },
    { what: 'another query', after: cursor, query: pageQuery({ ...read, args: 'where: { amount: { gt: 1 } }' }) },
    { what: 'another order', after: cursor, query: pageQuery({ ...read, args: 'orderBy: [{ amount: ASC }]' }) },
  ];
  const good = await app.graphql(pageQuery(read), { after: cursor });
  assert.equal(good.body.errors, undefined, 'the cursor itself is good');
  for (const attempt of attempts) {
    const response = await app.graphql(attempt.query ?? pageQuery(read), { after: attempt.after }, attempt.role);
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${attempt.what}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.errors[0].message, INVALID_CURSOR, attempt.what);
    assert.equal(response.body.data?.transactionsPage ?? null, null);
  }
});

test('a cursor stays good on another server sharing the configuration (its key derives from the JWT secret)', async () => {
  const read = { field: 'transactions', args: 'orderBy: [{ channel: ASC }]', selection: 'transactionId', first: 500 };
  const replica = await startTestApp({ lake: app.lake });
  try {
    const first = await app.graphql(pageQuery(read));
    const next = await replica.graphql(pageQuery(read), { after: first.body.data.transactionsPage.pageInfo.endCursor });
    assert.equal(next.body.errors, undefined, JSON.stringify(next.body.errors));
    const whole = await readUnpaged(app, read);
    assert.deepEqual([...first.body.data.transactionsPage.rows, ...next.body.data.transactionsPage.rows], whole.slice(0, 1000));
  } finally {
    await replica.close();
  }
});

test('an empty result is one page without a cursor', async () => {
  const { rows, cursors } = await readAllPages(app, { field: 'transactions', args: 'where: { amount: { lt: -1 } }', selection: 'transactionId', first: 10 });
  assert.deepEqual([rows, cursors], [[], []]);
});

test('pages never come from the result cache, even of a dataset that opts in', async () => {
  const cached = await startTestApp({ lake: app.lake, configure: withResultCache({ datasets: ['transactions'], ttlMs: 3_600_000 }) });
  try {
    const read = { field: 'transactions', selection: 'transactionId', first: 50 };
    const list = async (): Promise<unknown> => (await cached.graphql('{ transactions(limit: 50) { transactionId } }')).body.extensions.lakegate.queries[0].cache;
    assert.deepEqual([await list(), await list()], ['miss', 'hit'], 'the list field is cached');
    for (let i = 0; i < 2; i += 1) {
      const page = await cached.graphql(pageQuery(read));
      assert.equal(page.body.extensions.lakegate.queries[0].cache, 'none');
    }
  } finally {
    await cached.close();
  }
});
