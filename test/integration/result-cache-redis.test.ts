import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { after, before, test, type TestContext } from 'node:test';
import Redis from 'ioredis';
import { cachingEngine } from '../../src/datasources/cache/caching-engine';
import { cacheKey } from '../../src/datasources/cache/key';
import { RedisTier } from '../../src/datasources/cache/redis-tier';
import { ResultCache } from '../../src/datasources/cache/result-cache';
import type { CacheSettings } from '../../src/datasources/cache/types';
import { EngineError } from '../../src/datasources/errors';
import type { CachePolicy, Engine } from '../../src/datasources/types';
import type { CompiledQuery } from '../../src/sql/types';
import { CountingEngine } from '../support/counting-engine';

/**
 * The result cache's Redis tier on real Redis: two connections stand in for two replicas over
 * one counting engine; every test gets its own key prefix under this run's, deleted at the end.
 */
const REDIS_URL = process.env.LAKEGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN_PREFIX = `lakegate:cache:test:${process.pid}-${randomBytes(4).toString('hex')}:`;
const SILENT = { warn: () => undefined, debug: () => undefined };
const TTL: CachePolicy = { ttlMs: 60_000 };
const SETTINGS: CacheSettings = { maxBytes: 1024 ** 2, staleWhileRevalidateMs: 30_000, lockWaitMs: 2_000 };

let redisA: Redis | undefined;
let redisB: Redis | undefined;
let testNo = 0;

async function connect(url = REDIS_URL): Promise<Redis | undefined> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

before(async () => {
  redisA = await connect();
  redisB = redisA && (await connect());
});

after(async () => {
  if (redisA) {
    const keys = await redisA.keys(`${RUN_PREFIX}*`);
    if (keys.length > 0) await redisA.del(...keys);
  }
  redisA?.disconnect();
  redisB?.disconnect();
});

interface Replicas {
  readonly engine: CountingEngine;
  readonly a: Engine;
  readonly b: Engine;
  readonly prefix: string;
}

/** Two replicas' caches on Redis (fresh prefix) over one counting engine; null (skipped) without Redis. */
function replicas(t: TestContext, options: { settings?: Partial<CacheSettings>; maxEntryBytes?: number } = {}): Replicas | null {
  if (!redisA || !redisB) {
    t.skip(`Redis unreachable at ${REDIS_URL} (set LAKEGATE_REDIS_URL): the Redis tier is not tested`);
    return null;
  }
  const prefix = `${RUN_PREFIX}${++testNo}:`;
  const engine = new CountingEngine();
  const replica = (redis: Redis): Engine => cachingEngine(engine, new ResultCache({
    settings: { ...SETTINGS, ...options.settings },
    shared: new RedisTier(redis, { keyPrefix: prefix, maxEntryBytes: options.maxEntryBytes ?? 1024 ** 2, logger: SILENT }),
    logger: SILENT,
  }));
  return { engine, a: replica(redisA), b: replica(redisB), prefix };
}

const query = (name: string): CompiledQuery => ({ sql: `SELECT '${name}' AS name WHERE x = ?`, params: [{ value: 'v', type: { kind: 'string' } }] });

test('a miss on one replica is a hit on the other, with the engine query that produced the rows', async (t) => {
  const s = replicas(t);
  if (!s) return;
  const miss = await s.a.execute(query('shared'), { cache: TTL });
  const hit = await s.b.execute(query('shared'), { cache: TTL });
  assert.equal(miss.stats.cache, 'miss');
  assert.equal(hit.stats.cache, 'hit');
  assert.equal(hit.stats.queryId, miss.stats.queryId);
  assert.deepEqual(hit.rows, miss.rows);
  assert.equal(s.engine.queries, 1);
});

test('Redis holds the answer compressed, under the prefix, for the TTL plus the stale window', async (t) => {
  const s = replicas(t);
  if (!s) return;
  s.engine.padding = 5_000;
  await s.a.execute(query('stored'), { cache: TTL });
  const key = `${s.prefix}${cacheKey(s.engine.name, query('stored'))}`;
  const value = await redisA!.getBuffer(key);
  assert.ok(value, 'stored under the prefix');
  assert.ok(value.length < 1_000, `compressed: ${value.length} bytes for 5 kB of rows`);
  const stored = JSON.parse((await promisify(zlib.brotliDecompress)(value)).toString()) as { rows: { pad: string }[]; stats: { queryId: string } };
  assert.equal(stored.rows[0]!.pad.length, 5_000);
  assert.equal(stored.stats.queryId, 'counting-q1');
  const ttl = await redisA!.pttl(key);
  assert.ok(ttl > TTL.ttlMs && ttl <= TTL.ttlMs + SETTINGS.staleWhileRevalidateMs, `key TTL ${ttl} ms`);
  assert.deepEqual(await redisA!.keys(`${s.prefix}lock:*`), [], 'the lock is released');
});

test('an answer compressed past maxEntryBytes stays in memory only', async (t) => {
  const s = replicas(t, { maxEntryBytes: 2_000 });
  if (!s) return;
  const big = (name: string): CompiledQuery => ({ sql: `SELECT '${name}', '${randomBytes(4_000).toString('base64')}'`, params: [] });
  const q = big('big');
  await s.a.execute(q, { cache: TTL });
  assert.equal(await redisA!.exists(`${s.prefix}${cacheKey(s.engine.name, q)}`), 0);
  assert.equal((await s.a.execute(q, { cache: TTL })).stats.cache, 'hit', 'the replica that ran it still has it');
  assert.equal((await s.b.execute(q, { cache: TTL })).stats.cache, 'miss', 'the other replica cannot get it');
  assert.equal(s.engine.queries, 2);
});

test('concurrent identical misses on two replicas run one engine query (the lock in Redis)', async (t) => {
  const s = replicas(t);
  if (!s) return;
  s.engine.hold();
  const calls = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? s.a : s.b).execute(query('cold'), { cache: TTL, deadline: Date.now() + 5_000 }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  s.engine.release();
  const results = await Promise.all(calls);
  assert.equal(s.engine.queries, 1);
  assert.deepEqual(results.map((result) => result.stats.cache).sort(), ['miss', ...Array.from({ length: 9 }, () => 'shared')].sort());
  assert.ok(results.every((result) => result.stats.queryId === 'counting-q1'));
});

test('a replica waits for another\'s lock at most lockWait, then runs its own query', async (t) => {
  const s = replicas(t, { settings: { lockWaitMs: 200 } });
  if (!s) return;
  const q = query('abandoned');
  // A replica that took the lock and died: the lock stays until it expires.
  await redisA!.set(`${s.prefix}lock:${cacheKey(s.engine.name, q)}`, 'another-replica', 'PX', 60_000);
  const result = await s.b.execute(q, { cache: TTL });
  assert.equal(result.stats.cache, 'miss');
  assert.equal(s.engine.queries, 1);
});

test('an engine error is not stored: the other replica runs the query itself', async (t) => {
  const s = replicas(t);
  if (!s) return;
  s.engine.failNext(new EngineError('QUERY_FAILED', 'boom', s.engine.name));
  await assert.rejects(s.a.execute(query('failing'), { cache: TTL }), /boom/);
  assert.equal((await s.b.execute(query('failing'), { cache: TTL })).stats.cache, 'miss');
  assert.equal(s.engine.queries, 2);
});

test('with Redis unreachable the memory tier serves: no call fails, single flight still holds', async () => {
  const engine = new CountingEngine();
  const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
  down.on('error', () => undefined);
  await down.connect().catch(() => undefined);
  const shared = new RedisTier(down, { keyPrefix: `${RUN_PREFIX}down:`, maxEntryBytes: 1024 ** 2, logger: SILENT });
  const cache = new ResultCache({ settings: SETTINGS, shared, logger: SILENT });
  const cached = cachingEngine(engine, cache);
  try {
    assert.equal(cache.state(), 'unreachable');
    engine.hold();
    const calls = Array.from({ length: 5 }, () => cached.execute(query('offline'), { cache: TTL }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    engine.release();
    const results = await Promise.all(calls);
    assert.deepEqual(results.map((result) => result.stats.cache).sort(), ['miss', 'shared', 'shared', 'shared', 'shared']);
    assert.equal((await cached.execute(query('offline'), { cache: TTL })).stats.cache, 'hit');
    assert.equal(engine.queries, 1);
  } finally {
    down.disconnect();
  }
});
