import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type request from 'supertest';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app';
import { withResultCache } from '../support/cached-app';
import { HeldQueries, until } from '../support/held-queries';
import { createTestLake, type TestLake } from '../support/lake';

/**
 * The bounded queue in front of each engine, through the whole app with a slow engine: a burst
 * larger than `maxConcurrentQueries` waits its turn (at most that many reach the engine at once)
 * and succeeds; with a tiny `maxQueueMs` the overflow is refused 429 without reaching the engine;
 * a cached answer never waits behind a full queue; a client that goes away leaves the line.
 * Per-caller limits are off here, so one caller can fill the queue.
 */
const MAX_RUNNING = 2;

let lake: TestLake;
const started: TestApp[] = [];

before(async () => {
  lake = await createTestLake(200);
});

after(async () => {
  await Promise.all(started.map((app) => app.close()));
  lake?.remove();
});

async function instance(held: HeldQueries, maxQueueMs: number, options: Partial<TestAppOptions> = {}): Promise<TestApp> {
  const app = await startTestApp({
    lake,
    decorateEngine: held.decorate,
    limits: { concurrentQueriesPerCaller: 0, maxConcurrentQueries: MAX_RUNNING, maxQueueMs },
    ...options,
  });
  started.push(app);
  return app;
}

const read = (n: number): string => `{ transactions(limit: ${n}) { __typename } }`;

function burst(app: TestApp, count: number, from = 1): Promise<request.Response>[] {
  // `then` sends a supertest request: each one starts now.
  return Array.from({ length: count }, (_, i) => app.graphql(read(from + i)).then((response) => response));
}

test('a burst waits its turn: at most maxConcurrentQueries reach the engine at once, and all succeed', async () => {
  const held = new HeldQueries();
  const app = await instance(held, 60_000);
  held.hold();
  const responses = burst(app, 5);
  await until('the engine to be full', () => held.running === MAX_RUNNING);
  await sleep(300);
  assert.equal(held.started.length, MAX_RUNNING, 'the rest wait in the queue');
  held.release();
  for (const response of await Promise.all(responses)) assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(held.started.length, 5);
  assert.equal(held.peak, MAX_RUNNING);
});

test('with a tiny maxQueueMs the overflow is 429 RATE_LIMITED with Retry-After and never reaches the engine', async () => {
  const held = new HeldQueries();
  const app = await instance(held, 100);
  held.hold();
  const responses = burst(app, 4);
  await until('the engine to be full', () => held.running === MAX_RUNNING);
  const overflow = await Promise.race([Promise.all(responses.slice(MAX_RUNNING)), sleep(5_000).then(() => null)]);
  assert.ok(overflow, 'the overflow was answered while the engine is still busy');
  for (const response of overflow) {
    assert.equal(response.status, 429, JSON.stringify(response.body));
    assert.equal(response.headers['retry-after'], '1');
    const [error] = response.body.errors;
    assert.equal(error.extensions.code, 'RATE_LIMITED');
    assert.match(error.message, /^transactions: the local engine is busy: the query waited \d+\.\d s \(limits\.maxQueueMs\) behind the 2 running at once on this server \(limits\.maxConcurrentQueries\) and was not started$/);
  }
  assert.equal(held.started.length, MAX_RUNNING);
  held.release();
  for (const response of await Promise.all(responses.slice(0, MAX_RUNNING))) assert.equal(response.status, 200);
});

test('a cached answer does not wait behind a full queue', async () => {
  const held = new HeldQueries();
  const app = await instance(held, 60_000, { configure: withResultCache({ datasets: ['customers'], ttlMs: 3_600_000 }) });
  const cachedQuery = '{ customers(limit: 3, orderBy: [{ customerId: ASC }]) { customerId name } }';
  const first = await app.graphql(cachedQuery);
  assert.equal(first.body.extensions.lakegate.queries[0].cache, 'miss');
  held.hold();
  const queued = burst(app, MAX_RUNNING + 2);
  await until('the engine to be full', () => held.running === MAX_RUNNING);
  const hit = await app.graphql(cachedQuery);
  assert.equal(hit.status, 200);
  assert.equal(hit.body.extensions.lakegate.queries[0].cache, 'hit');
  assert.deepEqual(hit.body.data, first.body.data);
  assert.equal(held.running, MAX_RUNNING, 'answered while the queue is still full');
  held.release();
  for (const response of await Promise.all(queued)) assert.equal(response.status, 200);
});

test('a request whose client goes away while it waits leaves the queue: it never reaches the engine', async () => {
  const held = new HeldQueries();
  const app = await instance(held, 60_000);
  const url = `${await app.lakegate.listen(0, '127.0.0.1')}/graphql`;
  const post = (n: number, signal?: AbortSignal): Promise<Response> => fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token()}` },
    body: JSON.stringify({ query: read(n) }),
    ...(signal ? { signal } : {}),
  });
  held.hold();
  const running = [post(1), post(2)];
  await until('the engine to be full', () => held.running === MAX_RUNNING);
  const controller = new AbortController();
  const abandoned = post(3, controller.signal).catch(() => null);
  await sleep(300);
  controller.abort();
  await abandoned;
  const next = post(4);
  await sleep(100);
  held.release();
  for (const response of await Promise.all([...running, next])) assert.equal(response.status, 200);
  const limits = held.started.map((query) => query.params.at(-1)?.value);
  assert.deepEqual(limits, [1, 2, 4], 'the abandoned query never ran');
});
