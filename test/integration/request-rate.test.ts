import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test, type TestContext } from 'node:test';
import type Redis from 'ioredis';
import request from 'supertest';
import type { LoadedConfig } from '../../src/config/load';
import { startTestApp, type TestApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';
import { connectTestRedis, deleteKeys } from '../support/redis';

/**
 * Requests per caller per window through the whole app: the request past the limit is HTTP 429
 * RATE_LIMITED with Retry-After before any GraphQL work, other callers are unaffected, two app
 * instances on one real Redis share a caller's budget, and with Redis unreachable the limit still
 * holds (per instance, in memory) while no request fails.
 */
const REDIS_URL = process.env.LAKEGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `lakegate:rl:test-rate:${process.pid}-${randomBytes(4).toString('hex')}:`;
const LIMIT = 4;
const QUERY = '{ customers(limit: 1) { customerId } }';

let lake: TestLake;
let redis: Redis | undefined;
const started: TestApp[] = [];

before(async () => {
  redis = await connectTestRedis(REDIS_URL);
  lake = await createTestLake(200);
});

after(async () => {
  await Promise.all(started.map((app) => app.close()));
  if (redis) {
    await deleteKeys(redis, PREFIX);
    redis.disconnect();
  }
  lake?.remove();
});

/** An app instance over the shared lake allowing LIMIT requests per caller per minute, counted in Redis at `url` (memory without). */
async function instance(url: string | null, prefix = `${PREFIX}${randomBytes(3).toString('hex')}:`): Promise<TestApp> {
  const app = await startTestApp({
    lake,
    limits: { requestsPerWindow: LIMIT, window: 60_000, redisKeyPrefix: prefix },
    configure: (loaded: LoadedConfig) => ({
      ...loaded,
      config: { ...loaded.config, cache: { ...loaded.config.cache, redis: { ...loaded.config.cache.redis, urlEnv: 'LAKEGATE_TEST_RATE_REDIS_UNSET', ...(url ? { url } : {}) } } },
    }),
  });
  started.push(app);
  return app;
}

function needsRedis(t: TestContext): boolean {
  if (!redis) t.skip(`Redis unreachable at ${REDIS_URL} (set LAKEGATE_REDIS_URL): the shared request budget is not tested`);
  return Boolean(redis);
}

async function statuses(app: TestApp, count: number, role: string): Promise<number[]> {
  const responses = [];
  for (let i = 0; i < count; i += 1) responses.push(await app.graphql(QUERY, {}, role));
  return responses.map((response) => response.status);
}

function assertRateLimited(response: request.Response): void {
  assert.equal(response.status, 429, JSON.stringify(response.body));
  const retryAfter = Number(response.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After in seconds, got ${response.headers['retry-after']}`);
  const [error] = response.body.errors;
  assert.deepEqual(error.extensions, { code: 'RATE_LIMITED', limit: 'requestsPerWindow', max: LIMIT, retryAfterSeconds: retryAfter });
  assert.match(error.message, new RegExp(`more than ${LIMIT} requests in 60 s from this caller \\(limits\\.requestsPerWindow per limits\\.window\\); retry in ${retryAfter} s`));
  assert.equal(response.body.data, undefined, 'refused before any GraphQL work');
}

test('the request past the limit is 429 RATE_LIMITED with Retry-After; another caller is unaffected', async () => {
  const app = await instance(null);
  assert.deepEqual(await statuses(app, LIMIT, 'analyst'), Array(LIMIT).fill(200));
  assertRateLimited(await app.graphql(QUERY, {}, 'analyst'));
  assert.deepEqual(await statuses(app, LIMIT, 'engineer'), Array(LIMIT).fill(200));
  const ready = await request(app.lakegate.app).get('/readyz');
  assert.equal(ready.body.limitStore, undefined, 'no Redis configured: nothing to report');
});

test('a request without a valid token is 401 and counts for no one', async () => {
  const app = await instance(null);
  for (let i = 0; i < LIMIT + 2; i += 1) {
    assert.equal((await request(app.lakegate.app).post('/graphql').send({ query: QUERY })).status, 401);
  }
  assert.deepEqual(await statuses(app, LIMIT, 'analyst'), Array(LIMIT).fill(200));
});

test('two instances on one Redis share a caller\'s budget', async (t) => {
  if (!needsRedis(t)) return;
  const shared = `${PREFIX}shared:`;
  const a = await instance(REDIS_URL, shared);
  const b = await instance(REDIS_URL, shared);
  assert.equal((await request(a.lakegate.app).get('/readyz')).body.limitStore, 'connected');
  assert.deepEqual(await statuses(a, LIMIT / 2, 'analyst'), Array(LIMIT / 2).fill(200));
  assert.deepEqual(await statuses(b, LIMIT / 2, 'analyst'), Array(LIMIT / 2).fill(200));
  assertRateLimited(await a.graphql(QUERY, {}, 'analyst'));
  assertRateLimited(await b.graphql(QUERY, {}, 'analyst'));
  assert.deepEqual(await statuses(b, 1, 'engineer'), [200]);
  assert.ok((await redis!.keys(`${shared}*`)).length > 0, 'counted under the configured prefix');
});

test('with Redis unreachable the limit holds in memory and no request fails', async () => {
  const app = await instance('redis://127.0.0.1:1');
  const ready = await request(app.lakegate.app).get('/readyz');
  assert.equal(ready.status, 200, 'the counters do not decide readiness');
  assert.equal(ready.body.limitStore, 'unreachable');
  assert.deepEqual(await statuses(app, LIMIT, 'analyst'), Array(LIMIT).fill(200));
  assertRateLimited(await app.graphql(QUERY, {}, 'analyst'));
});
