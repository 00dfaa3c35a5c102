import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import request from 'supertest';
import { EngineError } from '../../src/datasources/errors';
import { forwardingEngine } from '../../src/datasources/forwarding';
import type { Engine } from '../../src/datasources/types';
import { startTestApp, type TestApp } from '../support/app';
import { sample, scrape } from '../support/prometheus';

/**
 * Prepared operations (the short road past Apollo's pipeline and graphql-js's execute) answer
 * exactly as Apollo does: each document is sent once as clients send it (the short road takes
 * it when it can) and once with an empty `extensions` (which only Apollo's road takes), and the
 * two answers must be the same bytes — status, content type, headers, body (engine query ids and
 * durations aside) — with the same log line. The prepared-requests counter shows which road
 * answered.
 */

type Fault = 'engine-failure' | 'engine-busy' | 'unexpected' | 'bad-cell' | null;

let app: TestApp;
let fault: Fault = null;
const logLines: Record<string, unknown>[] = [];

/** Makes the lake's engine fail, or return a cell no scalar can write, while a test sets `fault`. */
function faulty(engine: Engine): Engine {
  return forwardingEngine(engine, async (inner, query, options) => {
    switch (fault) {
      case 'engine-failure':
        throw new EngineError('QUERY_FAILED', 'the engine refused the query', inner.name, 'q-1');
      case 'engine-busy':
        throw new EngineError('ENGINE_BUSY', 'the engine is busy', inner.name, null, 2_000);
      case 'unexpected':
        throw new Error('an internal detail no client may see');
      case 'bad-cell': {
        const result = await inner.execute(query, options);
        return { ...result, rows: result.rows.map((row, index) => (index === 1 ? { ...row, amount: { not: 'a decimal' } } : row)) };
      }
      case null:
        return inner.execute(query, options);
    }
  });
}

/** Runs `work` with the engine failing as `mode` says, and healthy again afterwards. */
async function withFault(mode: Fault, work: () => Promise<void>): Promise<void> {
  fault = mode;
  try {
    await work();
  } finally {
    fault = null;
  }
}

before(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // Small limits, so a document over them is quick to write.
  app = await startTestApp({ rows: 400, logger: pino({ level: 'info' }, sink), decorateEngine: faulty, limits: { defaultLimit: 20, maxLimit: 50, maxCost: 30 } });
});
after(() => app.close());

interface Sent {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
  readonly role?: string;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly prepared: boolean;
  readonly logLine: Record<string, unknown>;
}

async function preparedCount(): Promise<number> {
  return sample(await scrape(app.lakegate), 'lakegate_graphql_prepared_requests_total');
}

async function send(sent: Sent, road: 'client' | 'apollo'): Promise<Answer> {
  const before = await preparedCount();
  const logged = logLines.length;
  const body = { query: sent.query, variables: sent.variables ?? {}, ...(sent.operationName ? { operationName: sent.operationName } : {}), ...(road === 'apollo' ? { extensions: {} } : {}) };
  const response = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token(sent.role)}`).send(body);
  const logLine = logLines.slice(logged).find((line) => line['msg'] === 'graphql request');
  assert.ok(logLine, `a log line for ${sent.query}`);
  const { requestId: _requestId, durationMs: _durationMs, time: _time, ...stable } = logLine;
  return {
    status: response.status,
    headers: Object.fromEntries(['content-type', 'retry-after', 'cache-control'].map((name) => [name, String(response.headers[name])])),
    body: stableBody(response.text),
    prepared: (await preparedCount()) === before + 1,
    logLine: stable,
  };
}

/**
 * The answer with what differs between two runs of one request set aside: engine query ids and
 * durations, and the order of `extensions.lakegate.queries`, which is the order the root fields'
 * engine queries happened to finish in (on either road).
 */
function stableBody(text: string): string {
  const body = JSON.parse(text.replace(/"queryId":"[^"]*"/g, '"queryId":"…"').replace(/"durationMs":[0-9.e+-]+/g, '"durationMs":0')) as { extensions?: { lakegate?: { queries?: { path: string }[] } } };
  body.extensions?.lakegate?.queries?.sort((a, b) => a.path.localeCompare(b.path));
  return JSON.stringify(body) + (text.endsWith('\n') ? '\n' : '');
}

/** Both roads answer `sent` identically; resolves to the client road's answer. `prepared`: whether the short road must take it (by Apollo's answer). */
async function sameOnBothRoads(sent: Sent, prepared: boolean | ((apollo: Answer) => boolean)): Promise<Answer> {
  const client = await send(sent, 'client');
  const apollo = await send(sent, 'apollo');
  assert.equal(apollo.prepared, false, 'a request with extensions goes through Apollo');
  const expectPrepared = typeof prepared === 'boolean' ? prepared : prepared(apollo);
  assert.equal(client.prepared, expectPrepared, `${sent.query}: ${expectPrepared ? 'prepared' : 'through Apollo'}`);
  assert.equal(client.status, apollo.status, client.body);
  assert.deepEqual(client.headers, apollo.headers);
  assert.equal(client.body, apollo.body);
  assert.deepEqual(client.logLine, apollo.logLine);
  return client;
}

describe('documents the short road takes answer as Apollo answers them', () => {
  test('a filtered, ordered list with aliases and __typename', async () => {
    const answer = await sameOnBothRoads({
      query: '{ transactions(where: {channel: {eq: "web"}}, orderBy: [{transactionId: ASC}], limit: 5) { transactionId amount ts __typename buyer: customerId } }',
    }, true);
    const rows = (JSON.parse(answer.body) as { data: { transactions: Record<string, unknown>[] } }).data.transactions;
    assert.equal(rows.length, 5);
    assert.deepEqual(Object.keys(rows[0]!), ['transactionId', 'amount', 'ts', '__typename', 'buyer']);
    assert.equal(rows[0]!['__typename'], 'Transaction');
  });

  test('two dataset lists in one operation', async () => {
    await sameOnBothRoads({ query: '{ customers(orderBy: [{customerId: DESC}], limit: 3) { customerId name segment } transactions(limit: 2, orderBy: [{transactionId: ASC}]) { transactionId status } }' }, true);
  });

  test('variables, a named operation and operationName', async () => {
    await sameOnBothRoads({
      query: 'query Recent($limit: Int, $where: TransactionFilter) { transactions(where: $where, limit: $limit, orderBy: [{ts: DESC}, {transactionId: ASC}]) { transactionId channel ts } }',
      variables: { limit: 4, where: { status: { in: ['completed', 'refunded'] } } },
      operationName: 'Recent',
    }, true);
  });

  test('every sample role sees its own view (rows filtered, cells masked, columns hidden)', async () => {
    const readable = (apollo: Answer): boolean => !apollo.body.includes('GRAPHQL_VALIDATION_FAILED');
    const answers = [];
    for (const role of ['engineer', 'analyst', 'japan_sales', 'eu_analyst', 'marketing', 'hr', 'auditor', 'guest']) {
      answers.push(await sameOnBothRoads({ role, query: '{ customers(orderBy: [{customerId: ASC}], limit: 40) { customerId name email country segment } }' }, readable));
      answers.push(await sameOnBothRoads({ role, query: '{ customers(orderBy: [{customerId: ASC}], limit: 40) { customerId name country } }' }, readable));
    }
    assert.ok(answers.filter((answer) => answer.prepared).length >= 6, 'most roles read customers by the short road');
    // A column the role may not read is a validation error: Apollo words it.
    await sameOnBothRoads({ role: 'analyst', query: '{ customers { email } }' }, false);
  });

  test('an engine failure is the field error Apollo gives, with its status', async () => {
    await withFault('engine-failure', async () => {
      const answer = await sameOnBothRoads({ query: '{ transactions(limit: 3) { transactionId } }' }, true);
      assert.match(answer.body, /"data":null/);
      assert.match(answer.body, /"code":"QUERY_FAILED"/);
    });
  });

  test('an engine that is busy: the status and Retry-After Apollo gives', async () => {
    await withFault('engine-busy', async () => {
      const answer = await sameOnBothRoads({ query: '{ transactions(limit: 3) { transactionId } }' }, true);
      assert.equal(answer.status, 429);
      assert.notEqual(answer.headers['retry-after'], 'undefined');
    });
  });

  test('an unexpected failure is masked the same way', async () => {
    await withFault('unexpected', async () => {
      const answer = await sameOnBothRoads({ query: '{ transactions(limit: 3) { transactionId } }' }, true);
      assert.match(answer.body, /"code":"INTERNAL_SERVER_ERROR"/);
      assert.doesNotMatch(answer.body, /internal detail/);
    });
  });

  test('a limit above maxLimit, refused by the planner as the field resolves', async () => {
    const answer = await sameOnBothRoads({ query: '{ transactions(limit: 60) { transactionId } }' }, true);
    assert.equal(answer.status, 400);
    assert.match(answer.body, /"code":"LIMIT_EXCEEDED"/);
  });

  test('a cell its scalar cannot write is that cell null with its error, the rest answered', async () => {
    await withFault('bad-cell', async () => {
      const answer = await sameOnBothRoads({ query: '{ transactions(orderBy: [{transactionId: ASC}], limit: 3) { transactionId amount } }' }, true);
      const body = JSON.parse(answer.body) as { data: { transactions: { amount: unknown }[] }; errors: { path: unknown[] }[] };
      assert.equal(body.data.transactions[1]!.amount, null);
      assert.notEqual(body.data.transactions[0]!.amount, null);
      assert.deepEqual(body.errors.map((error) => error.path), [['transactions', 1, 'amount']]);
    });
  });
});

describe('documents the short road leaves to Apollo', () => {
  const cases: [string, Sent][] = [
    ['a fragment', { query: 'query { transactions(limit: 2) { ...T } } fragment T on Transaction { transactionId }' }],
    ['a directive', { query: 'query($on: Boolean!) { transactions(limit: 2) { transactionId amount @include(if: $on) } }', variables: { on: false } }],
    ['a relation', { query: '{ transactions(limit: 2, orderBy: [{transactionId: ASC}]) { transactionId customer { name } } }' }],
    ['a struct column', { query: '{ events(limit: 2, orderBy: [{eventId: ASC}]) { eventId device { os } } }' }],
    ['an aggregate', { query: '{ transactionsAggregate { count } }' }],
    ['the catalog', { query: '{ catalog { datasets { name } } }' }],
    ['variables that do not coerce', { query: 'query($limit: Int) { transactions(limit: $limit) { transactionId } }', variables: { limit: 'ten' } }],
    ['an operation over the cost limit', {
      query: 'query($n: Int) { a: transactions(limit: $n) { transactionId } b: transactions(limit: $n) { transactionId } c: transactions(limit: $n) { transactionId } }',
      variables: { n: 50 },
    }],
    ['a syntax error', { query: '{ transactions(limit: 2) { transactionId }' }],
    ['a typo', { query: '{ transactions(limit: 2) { transactionID } }' }],
  ];
  for (const [name, sent] of cases) {
    test(name, async () => {
      await sameOnBothRoads(sent, false);
    });
  }
});

test('property: any selection, filter, order and page answers the same on both roads', async () => {
  const columns = ['transactionId', 'customerId', 'amount', 'currency', 'status', 'channel', 'ts', 'dt', '__typename'];
  const leaf = fc.record({ column: fc.constantFrom(...columns), alias: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }) });
  const filter = fc.option(fc.oneof(
    fc.constantFrom('web', 'app', 'store').map((channel) => ({ channel: { eq: channel } })),
    fc.subarray(['completed', 'refunded', 'failed', 'pending']).map((statuses) => ({ status: { in: statuses } })),
    fc.constant({ channel: { isNull: true } }),
  ), { nil: undefined });
  const document = fc.record({
    leaves: fc.uniqueArray(leaf, { minLength: 1, maxLength: 5, selector: (item) => item.alias ?? item.column }),
    where: filter,
    order: fc.constantFrom('ts', 'amount', 'channel'),
    direction: fc.constantFrom('ASC', 'DESC'),
    limit: fc.integer({ min: 0, max: 12 }),
    asVariables: fc.boolean(),
  });
  await fc.assert(fc.asyncProperty(document, async ({ leaves, where, order, direction, limit, asVariables }) => {
    const selection = leaves.map(({ column, alias }) => (alias ? `${alias}: ${column}` : column)).join(' ');
    const orderBy = `[{${order}: ${direction}}, {transactionId: ASC}]`;
    const sent: Sent = asVariables
      ? { query: `query($where: TransactionFilter, $limit: Int) { transactions(where: $where, orderBy: ${orderBy}, limit: $limit) { ${selection} } }`, variables: { where: where ?? null, limit } }
      : { query: `{ transactions(${where ? `where: ${literal(where)}, ` : ''}orderBy: ${orderBy}, limit: ${limit}) { ${selection} } }` };
    await sameOnBothRoads(sent, true);
  }), { numRuns: 40 });
});

/** A JSON value as a GraphQL input literal (enum-free: the filters here hold strings, lists and booleans). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([key, item]) => `${key}: ${literal(item)}`).join(', ')}}`;
  return JSON.stringify(value);
}
