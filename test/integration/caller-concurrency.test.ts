import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { HeldQueries, until } from '../support/held-queries';
import { createTestLake, type TestLake } from '../support/lake';

/**
 * Engine queries running at once per caller, through the whole app with a slow engine (queries
 * held until the test lets them go): a caller's queries past its limit wait for one of its own
 * to end — and are refused with 429 once they have waited `maxQueueMs` — without ever reaching the
 * engine; other callers are unaffected; slots are released however a query ends.
 */
const PER_CALLER = 2;

let lake: TestLake;
const started: TestApp[] = [];

before(async () => {
  lake = await createTestLake(200);
});

after(async () => {
  await Promise.all(started.map((app) => app.close()));
  lake?.remove();
});

async function instance(maxQueueMs: number, held: HeldQueries): Promise<TestApp> {
  const app = await startTestApp({ lake, decorateEngine: held.decorate, limits: { concurrentQueriesPerCaller: PER_CALLER, maxConcurrentQueries: 16, maxQueueMs } });
  started.push(app);
  return app;
}

/** Distinct reads (no two share an engine query) of `table`. */
const read = (table: 'transactions' | 'customers', n: number): string => `{ ${table}(limit: ${n}) { __typename } }`;

function burst(app: TestApp, table: 'transactions' | 'customers', count: number, role: string): Promise<request.Response>[] {
  // `then` sends a supertest request: each one starts now.
  return Array.from({ length: count }, (_, i) => app.graphql(read(table, i + 1), {}, role).then((response) => response));
}

test('a caller\'s queries past its limit wait for one of its own to end; another caller is unaffected', async () => {
  const held = new HeldQueries();
  const app = await instance(60_000, held);
  held.hold();
  const analyst = burst(app, 'transactions', 4, 'analyst');
  await until('two of the analyst\'s queries to run', () => held.running === PER_CALLER);
  await sleep(300);
  assert.equal(held.startedOn('transactions'), PER_CALLER, 'the other two wait without reaching the engine');
  const engineer = burst(app, 'customers', 1, 'engineer');
  await until('the engineer\'s query to run beside them', () => held.running === PER_CALLER + 1);
  held.release();
  const responses = await Promise.all([...analyst, ...engineer]);
  for (const response of responses) assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(held.startedOn('transactions'), 4);
  assert.equal(held.peak, PER_CALLER + 1);
});

test('past maxQueueMs the waiting ones are refused 429 RATE_LIMITED without reaching the engine; the slots come back', async () => {
  const held = new HeldQueries();
  const app = await instance(200, held);
  held.hold();
  const analyst = burst(app, 'transactions', 4, 'analyst');
  await until('two of the analyst\'s queries to run', () => held.running === PER_CALLER);
  const refused = await Promise.race([Promise.all(analyst.slice(2)), sleep(5_000).then(() => null)]);
  assert.ok(refused, 'the waiting queries were answered while the running ones are still held');
  for (const response of refused) {
    assert.equal(response.status, 429, JSON.stringify(response.body));
    assert.equal(response.headers['retry-after'], '1');
    const [error] = response.body.errors;
    assert.equal(error.extensions.code, 'RATE_LIMITED');
    assert.equal(error.extensions.retryAfterSeconds, 1);
    assert.match(error.message, /^transactions: this caller already has 2 engine queries running \(limits\.concurrentQueriesPerCaller\); this one waited 0\.2 s \(limits\.maxQueueMs\)/);
  }
  assert.equal(held.startedOn('transactions'), PER_CALLER, 'refused queries never reached the engine');
  held.release();
  for (const response of await Promise.all(analyst.slice(0, 2))) assert.equal(response.status, 200);

  const again = await Promise.all(burst(app, 'transactions', PER_CALLER, 'analyst'));
  assert.deepEqual(again.map((response) => response.status), [200, 200], 'after the burst the caller has its slots back');
});

test('a query that fails releases its slot too', async () => {
  const held = new HeldQueries();
  const app = await instance(200, held);
  held.failNext(PER_CALLER + 1);
  for (let i = 0; i < PER_CALLER + 1; i += 1) {
    const response = await app.graphql(read('transactions', i + 1), {}, 'analyst');
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'QUERY_FAILED', JSON.stringify(response.body));
  }
  held.hold();
  const running = burst(app, 'transactions', PER_CALLER, 'analyst');
  await until('the caller\'s queries to run', () => held.running === PER_CALLER);
  held.release();
  assert.deepEqual((await Promise.all(running)).map((response) => response.status), [200, 200]);
});
