import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, test, type TestContext } from 'node:test';
import { AthenaClient } from '@aws-sdk/client-athena';
import type Redis from 'ioredis';
import request from 'supertest';
import type { LoadedConfig } from '../../src/config/load';
import type { LongQueriesConfig } from '../../src/config/schema';
import type { AthenaEmulator, QueryState } from '../emulators/athena';
import { startTestApp, type TestApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';
import { connectTestRedis, deleteKeys } from '../support/redis';
import { startAthenaOverLake } from '../support/athena-lake';

/**
 * Long-running queries through the whole API, with two app instances (replicas) sharing one
 * Redis and one Athena (our emulator over the sample lake, through the real SDK): a query that
 * outlives the wait budget answers QUERY_RUNNING with a handle; repeating the request on either
 * replica, or queryStatus(handle), picks up the same engine query, then its result, through the
 * same permission checks; a query nobody asks about is stopped after the grace period, once.
 */

const REDIS_URL = process.env.LAKEGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `lakegate:lq:test-app:${process.pid}-${randomBytes(4).toString('hex')}:`;
const SETTINGS = { waitMs: 250, graceMs: 1_000, sweepIntervalMs: 100 };

let lake: TestLake;
let emulator: AthenaEmulator;
let redis: Redis | undefined;
let replicaA: TestApp;
let replicaB: TestApp;

interface GraphQLError {
  message: string;
  path?: string[];
  extensions: { code: string; handle?: string; queryId?: string; engine?: string; startedAt?: string };
}

before(async () => {
  redis = await connectTestRedis(REDIS_URL);
  lake = await createTestLake(500);
  emulator = await startAthenaOverLake(lake.configFile);
  replicaA = await replica();
  replicaB = await replica();
});

afterEach(() => emulator.slow(0));

after(async () => {
  await replicaA?.close();
  await replicaB?.close();
  await emulator?.close();
  if (redis) {
    await deleteKeys(redis, PREFIX);
    redis.disconnect();
  }
  lake?.remove();
});

/** An app instance over the shared lake, reading through Athena, with long queries in Redis at `redisUrl` (in memory without one). */
function replica(redisUrl: string | null = REDIS_URL): Promise<TestApp> {
  const redis = { urlEnv: 'LAKEGATE_TEST_REDIS_URL_UNSET', keyPrefix: PREFIX, ...(redisUrl ? { url: redisUrl } : {}) };
  const longQueries: LongQueriesConfig = { ...SETTINGS, redis };
  return startTestApp({
    lake,
    configure: (loaded: LoadedConfig) => ({
      ...loaded,
      config: { ...loaded.config, engines: { ...loaded.config.engines, athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } }, longQueries },
      catalog: { ...loaded.catalog, datasets: loaded.catalog.datasets.map((dataset) => ({ ...dataset, engines: ['athena'] })) },
    }),
    engineClients: async () => ({ athena: new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) }),
  });
}

function needsRedis(t: TestContext): boolean {
  if (!redis) t.skip(`Redis unreachable at ${REDIS_URL} (set LAKEGATE_REDIS_URL): long queries across replicas not tested`);
  return Boolean(redis);
}

const STATUS = 'query Status($handle: String!) { queryStatus(handle: $handle) { handle state engine queryId startedAt message } }';

async function runningError(app: TestApp, query: string, role: string): Promise<GraphQLError> {
  const response = await app.graphql(query, {}, role);
  assert.equal(response.status, 200);
  const errors = response.body.errors as GraphQLError[] | undefined;
  assert.equal(errors?.length, 1, JSON.stringify(response.body));
  assert.equal(errors[0]!.extensions.code, 'QUERY_RUNNING', JSON.stringify(errors));
  assert.match(errors[0]!.extensions.handle!, /^[A-Za-z0-9_-]{22}$/);
  return errors[0]!;
}

async function status(app: TestApp, handle: string, role: string): Promise<request.Response> {
  return app.graphql(STATUS, { handle }, role);
}

const stateOf = (queryId: string): QueryState | undefined => emulator.queries().find((query) => query.id === queryId)?.state;
const stopsOf = (queryId: string): number =>
  emulator.requests.filter((call) => call.operation === 'StopQueryExecution' && call.body['QueryExecutionId'] === queryId).length;

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < giveUp, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('a query outliving the wait answers QUERY_RUNNING; the other replica picks up the same engine query, then its rows; nothing runs twice', async (t) => {
  if (!needsRedis(t)) return;
  const query = '{ transactions(limit: 5, orderBy: [{ amount: DESC }, { transactionId: ASC }]) { transactionId amount customer { name } } }';
  emulator.slow(1_500);
  const starts = emulator.calls.StartQueryExecution;

  const first = await runningError(replicaA, query, 'analyst');
  assert.deepEqual(first.path, ['transactions']);
  assert.equal(first.extensions.engine, 'athena');
  assert.equal(stateOf(first.extensions.queryId!), 'RUNNING');
  const repeat = await runningError(replicaB, query, 'analyst');
  assert.equal(repeat.extensions.handle, first.extensions.handle, 'the same handle from the other replica');
  assert.equal(repeat.extensions.queryId, first.extensions.queryId);
  assert.equal(emulator.calls.StartQueryExecution, starts + 1, 'picked up, not started again');
  emulator.slow(0); // queries started from now on (the relation level, the fresh run) are quick

  const running = await status(replicaB, first.extensions.handle!, 'analyst');
  assert.equal(running.body.errors, undefined, JSON.stringify(running.body.errors));
  assert.deepEqual({ ...running.body.data.queryStatus, message: undefined }, {
    handle: first.extensions.handle, state: 'RUNNING', engine: 'athena', queryId: first.extensions.queryId, startedAt: first.extensions.startedAt, message: undefined,
  });

  // A client polls queryStatus until the query is done (asking keeps it from being stopped).
  let finished = running;
  await until('the engine query to finish', async () => {
    finished = await status(replicaA, first.extensions.handle!, 'analyst');
    return finished.body.data.queryStatus.state !== 'RUNNING';
  });
  assert.equal(finished.body.data.queryStatus.state, 'SUCCEEDED');
  assert.equal(stateOf(first.extensions.queryId!), 'SUCCEEDED');
  assert.match(finished.body.data.queryStatus.message, /repeat the request/);

  const collected = await replicaA.graphql(query, {}, 'analyst');
  assert.equal(collected.body.errors, undefined, JSON.stringify(collected.body.errors));
  const [transactions, customers] = collected.body.extensions.lakegate.queries as { path: string; queryId: string }[];
  assert.equal(transactions!.queryId, first.extensions.queryId, 'the rows come from the engine query the handle named');
  assert.equal(customers!.path, 'transactions.customer', 'the relation level runs after it, within the wait');
  assert.equal(emulator.calls.StartQueryExecution, starts + 2, 'one run of the dataset query, one of the relation');

  const delivered = await status(replicaB, first.extensions.handle!, 'analyst');
  assert.equal(delivered.body.data.queryStatus.state, 'SUCCEEDED');
  assert.match(delivered.body.data.queryStatus.message, /delivered/);

  const fresh = await replicaB.graphql(query, {}, 'analyst');
  assert.deepEqual(fresh.body.data, collected.body.data, 'the same rows as a run that never waited');
  assert.equal(emulator.calls.StartQueryExecution, starts + 4, 'a delivered result is not served again: a repeat now runs afresh');
});

test('a handle answers only the access that started it: another caller cannot tell it from one that never existed', async (t) => {
  if (!needsRedis(t)) return;
  const query = '{ customers(limit: 3, orderBy: [{ customerId: ASC }]) { customerId country } }';
  emulator.slow(1_500);
  const engineer = await runningError(replicaA, query, 'engineer');
  const japan = await runningError(replicaB, query, 'japan_sales');
  assert.notEqual(japan.extensions.handle, engineer.extensions.handle, 'different access: a query of its own');
  assert.notEqual(japan.extensions.queryId, engineer.extensions.queryId);

  const foreign = await status(replicaB, engineer.extensions.handle!, 'japan_sales');
  const unknown = await status(replicaB, 'AAAAAAAAAAAAAAAAAAAAAA', 'japan_sales');
  const malformed = await status(replicaA, 'x'.repeat(500), 'japan_sales');
  for (const response of [foreign, unknown, malformed]) {
    assert.equal(response.body.data, null);
    assert.deepEqual(response.body.errors.map((error: GraphQLError) => [error.message, error.extensions]), [[
      'unknown query handle: it never existed, has expired, or was issued to a caller with other permissions',
      { code: 'BAD_USER_INPUT' },
    ]]);
  }
  const own = await status(replicaA, engineer.extensions.handle!, 'engineer');
  assert.equal(own.body.data.queryStatus.state, 'RUNNING');
});

test('identical requests racing through the first wait share one engine query: the later one stops its own', async (t) => {
  if (!needsRedis(t)) return;
  const query = '{ transactionsAggregate(groupBy: [CHANNEL]) { key { channel } count } }';
  emulator.slow(1_500);
  const earlier = new Set(emulator.queries().map((entry) => entry.id));
  const [a, b] = await Promise.all([runningError(replicaA, query, 'analyst'), runningError(replicaB, query, 'analyst')]);
  assert.equal(a.extensions.handle, b.extensions.handle);
  assert.equal(a.extensions.queryId, b.extensions.queryId);
  const raced = emulator.queries().filter((entry) => !earlier.has(entry.id)).map((entry) => entry.id);
  assert.equal(raced.length, 2, 'both requests started one before either recorded it');
  const kept = a.extensions.queryId!;
  await until('the losing query to be stopped', () => raced.filter((id) => id !== kept).every((id) => stateOf(id) === 'CANCELLED'));
  assert.equal(stateOf(kept), 'RUNNING');
});

test('a query nobody asks about is stopped after the grace period, by exactly one replica; its handle then says STOPPED', async (t) => {
  if (!needsRedis(t)) return;
  const query = '{ events(limit: 2, orderBy: [{ eventId: ASC }]) { eventId } }';
  emulator.slow(30_000);
  const left = await runningError(replicaA, query, 'analyst');
  const queryId = left.extensions.queryId!;
  await until('a sweeper to stop it', () => stateOf(queryId) === 'CANCELLED');
  await new Promise((resolve) => setTimeout(resolve, 4 * SETTINGS.sweepIntervalMs));
  assert.equal(stopsOf(queryId), 1, 'both replicas sweep; one stops it');
  const stopped = await status(replicaB, left.extensions.handle!, 'analyst');
  assert.equal(stopped.body.data.queryStatus.state, 'STOPPED');
  const again = await runningError(replicaB, query, 'analyst');
  assert.notEqual(again.extensions.queryId, queryId, 'a repeat starts afresh');
});

test('asking about a query keeps it alive past the grace period until it finishes', async (t) => {
  if (!needsRedis(t)) return;
  const query = '{ employees(limit: 3, orderBy: [{ name: ASC }]) { name } }';
  emulator.slow(2_600);
  const first = await runningError(replicaA, query, 'engineer');
  let state = 'RUNNING';
  while (state === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const response = await status(replicaB, first.extensions.handle!, 'engineer');
    state = response.body.data.queryStatus.state;
  }
  assert.equal(state, 'SUCCEEDED');
  assert.equal(stopsOf(first.extensions.queryId!), 0, 'never stopped');
  const collected = await replicaB.graphql(query, {}, 'engineer');
  assert.equal(collected.body.errors, undefined, JSON.stringify(collected.body.errors));
  assert.equal(collected.body.data.employees.length, 3);
  assert.equal(collected.body.extensions.lakegate.queries[0].queryId, first.extensions.queryId);
});

test('a replica shutting down mid-wait answers QUERY_RUNNING and leaves the query running for the others', async (t) => {
  if (!needsRedis(t)) return;
  const leaving = await replica();
  const url = await leaving.lakegate.listen(0, '127.0.0.1');
  const query = '{ transactions(limit: 3, orderBy: [{ ts: DESC }, { transactionId: ASC }]) { transactionId ts } }';
  emulator.slow(1_200);
  const starts = emulator.calls.StartQueryExecution;
  const answer = fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${leaving.token('analyst')}` },
    body: JSON.stringify({ query }),
  }).then(async (response) => (await response.json()) as { errors?: GraphQLError[] });
  await until('the engine query to start', () => emulator.calls.StartQueryExecution > starts);
  const closed = leaving.close();
  const { errors } = await answer;
  assert.equal(errors?.[0]?.extensions.code, 'QUERY_RUNNING', JSON.stringify(errors));
  const queryId = errors[0]!.extensions.queryId!;
  // The client keeps the query alive as documented, by asking about it (a loaded machine may take longer than graceMs to shut down).
  const keepAlive = setInterval(() => void status(replicaB, errors[0]!.extensions.handle!, 'analyst'), SETTINGS.graceMs / 4);
  try {
    await closed;
    assert.equal(stopsOf(queryId), 0, 'shutting down did not stop it');
    emulator.slow(0);
    await until('the engine query to finish', () => stateOf(queryId) === 'SUCCEEDED');
  } finally {
    clearInterval(keepAlive);
  }
  const collected = await replicaB.graphql(query, {}, 'analyst');
  assert.equal(collected.body.errors, undefined, JSON.stringify(collected.body.errors));
  assert.equal(collected.body.extensions.lakegate.queries[0].queryId, queryId, 'another replica delivers it');
});

test('with Redis unreachable requests still answer: they wait for the query within their own time limit', async () => {
  const isolated = await replica('redis://127.0.0.1:1');
  try {
    emulator.slow(600);
    const response = await isolated.graphql('{ transactions(limit: 2, orderBy: [{ transactionId: ASC }]) { transactionId } }', {}, 'analyst');
    assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
    assert.equal(response.body.data.transactions.length, 2);
    const ready = await request(isolated.lakegate.app).get('/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.longQueryStore, 'unreachable');
    const lookup = await status(isolated, 'AAAAAAAAAAAAAAAAAAAAAA', 'analyst');
    assert.equal(lookup.body.errors[0].extensions.code, 'ENGINE_UNAVAILABLE');
  } finally {
    await isolated.close();
  }
});

test('one replica without Redis keeps its long queries in memory: QUERY_RUNNING, then the repeat picks the query up', async () => {
  const single = await replica(null);
  try {
    const query = '{ customers(limit: 4, orderBy: [{ customerId: DESC }]) { customerId } }';
    emulator.slow(900);
    const starts = emulator.calls.StartQueryExecution;
    const first = await runningError(single, query, 'analyst');
    emulator.slow(0);
    const running = await status(single, first.extensions.handle!, 'analyst');
    assert.equal(running.body.data.queryStatus.state, 'RUNNING');
    await until('the engine query to finish', () => stateOf(first.extensions.queryId!) === 'SUCCEEDED');
    const collected = await single.graphql(query, {}, 'analyst');
    assert.equal(collected.body.errors, undefined, JSON.stringify(collected.body.errors));
    assert.equal(collected.body.data.customers.length, 4);
    assert.equal(collected.body.extensions.lakegate.queries[0].queryId, first.extensions.queryId);
    assert.equal(emulator.calls.StartQueryExecution, starts + 1);
    const ready = await request(single.lakegate.app).get('/readyz');
    assert.equal(ready.body.longQueryStore, 'memory');
  } finally {
    await single.close();
  }
});
