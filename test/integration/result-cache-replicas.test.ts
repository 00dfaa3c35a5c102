import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { countingQueries, withResultCache } from '../support/cached-app';
import { createTestLake, type TestLake } from '../support/lake';
import { connectTestRedis, deleteKeys } from '../support/redis';

/**
 * The result cache across replicas: app instances over one lake sharing a real Redis (a key
 * prefix of this run's own), and what happens when Redis is not there or goes away mid-run.
 */
const REDIS_URL = process.env.LAKEGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `lakegate:cache:test-app:${process.pid}-${randomBytes(4).toString('hex')}:`;
const HOUR = 3_600_000;

interface QueryRecord {
  queryId: string;
  cache: string;
}

let lake: TestLake;
let redis: Redis | undefined;
const started: TestApp[] = [];

before(async () => {
  redis = await connectTestRedis(REDIS_URL);
  lake = await createTestLake(300);
});

after(async () => {
  await Promise.all(started.map((app) => app.close()));
  if (redis) {
    await deleteKeys(redis, PREFIX);
    redis.disconnect();
  }
  lake?.remove();
});

/** An app instance over the shared lake with `customers` cached for an hour, its answers in Redis at `url`. */
async function replica(url: string, counting: ReturnType<typeof countingQueries>): Promise<TestApp> {
  const app = await startTestApp({
    lake,
    decorateEngine: counting.decorate,
    configure: withResultCache({ datasets: ['customers'], ttlMs: HOUR, cache: { lockWait: 5_000, redis: { url, urlEnv: 'LAKEGATE_TEST_CACHE_REDIS_UNSET', keyPrefix: PREFIX } } }),
  });
  started.push(app);
  return app;
}

function needsRedis(t: TestContext): boolean {
  if (!redis) t.skip(`Redis unreachable at ${REDIS_URL} (set LAKEGATE_REDIS_URL): the cache across replicas is not tested`);
  return Boolean(redis);
}

async function ask(app: TestApp, query: string): Promise<QueryRecord> {
  const response = await app.graphql(query, {}, 'analyst');
  assert.equal(response.status, 200);
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return (response.body.extensions.lakegate.queries as QueryRecord[])[0]!;
}

async function cacheState(app: TestApp): Promise<string> {
  const ready = await request(app.lakegate.app).get('/readyz');
  assert.equal(ready.status, 200, 'the cache tier does not decide readiness');
  return ready.body.cache as string;
}

const customers = (limit: number): string => `{ customers(limit: ${limit}, orderBy: [{ customerId: ASC }]) { customerId name } }`;

test('two replicas on one Redis: a miss on A is a hit on B; concurrent cold requests on both run one engine query', async (t) => {
  if (!needsRedis(t)) return;
  const counting = countingQueries(300);
  const a = await replica(REDIS_URL, counting);
  const b = await replica(REDIS_URL, counting);
  assert.equal(await cacheState(a), 'connected');

  const miss = await ask(a, customers(7));
  const hit = await ask(b, customers(7));
  assert.equal(miss.cache, 'miss');
  assert.equal(hit.cache, 'hit');
  assert.equal(hit.queryId, miss.queryId);
  assert.equal(counting.queriesOn('customers'), 1);

  const records = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i % 2 === 0 ? a : b, customers(8))));
  assert.equal(counting.queriesOn('customers'), 2, 'one more engine query for twenty requests on two replicas');
  const outcomes = records.map((record) => record.cache);
  assert.equal(outcomes.filter((outcome) => outcome === 'miss').length, 1, outcomes.join(' '));
  assert.ok(outcomes.every((outcome) => outcome === 'miss' || outcome === 'shared' || outcome === 'hit'), outcomes.join(' '));
  assert.equal(new Set(records.map((record) => record.queryId)).size, 1);
});

test('with Redis unreachable from the start every request is answered, from memory once cached; /readyz says unreachable', async () => {
  const counting = countingQueries(100);
  const app = await replica('redis://127.0.0.1:1', counting);
  assert.equal(await cacheState(app), 'unreachable');
  const records = await Promise.all(Array.from({ length: 5 }, () => ask(app, customers(4))));
  assert.deepEqual(records.map((record) => record.cache).sort(), ['miss', 'shared', 'shared', 'shared', 'shared']);
  assert.equal((await ask(app, customers(4))).cache, 'hit');
  assert.equal(counting.queriesOn('customers'), 1);
});

test('Redis going away mid-run fails no request: memory and the engine serve, /readyz says unreachable', async () => {
  const port = await freePort();
  const server = await startRedisServer(port);
  try {
    const counting = countingQueries(0);
    const app = await replica(`redis://127.0.0.1:${port}`, counting);
    assert.equal(await cacheState(app), 'connected');
    assert.equal((await ask(app, customers(3))).cache, 'miss');

    server.kill('SIGKILL');
    await until('the cache to notice Redis is gone', async () => (await cacheState(app)) === 'unreachable');
    assert.equal((await ask(app, customers(3))).cache, 'hit', 'the memory tier still has it');
    assert.equal((await ask(app, customers(6))).cache, 'miss', 'a new query runs on the engine');
    assert.equal((await ask(app, customers(6))).cache, 'hit');
    assert.equal(counting.queriesOn('customers'), 2);
  } finally {
    server.kill('SIGKILL');
  }
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A throwaway redis-server of this test's own (no persistence), ready to answer. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await until('redis-server to answer', async () => client.connect().then(() => true, () => false));
  } finally {
    client.disconnect();
  }
  return child;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < giveUp, `timed out waiting for ${what}`);
    await sleep(25);
  }
}
