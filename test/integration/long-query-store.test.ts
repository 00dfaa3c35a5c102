import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test, type TestContext } from 'node:test';
import Redis from 'ioredis';
import { RedisRunningQueryStore } from '../../src/planner/long-queries/redis-store';
import { key, runningQueryStoreContract, SQL, start, type StoreReplicas } from '../support/running-query-store-contract';
import type { RunningQueryStoreOptions } from '../../src/planner/long-queries/types';

/** The Redis store, on real Redis: two connections stand in for two replicas; every test gets its own key prefix. */
const REDIS_URL = process.env.LAKEGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN_PREFIX = `lakegate:lq:test:${process.pid}-${randomBytes(4).toString('hex')}:`;
const UNAVAILABLE = `Redis unreachable at ${REDIS_URL} (set LAKEGATE_REDIS_URL): long-query store not tested`;

let replicaA: Redis | undefined;
let replicaB: Redis | undefined;
let testNo = 0;

async function connect(): Promise<Redis | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported through connect() instead
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

before(async () => {
  replicaA = await connect();
  replicaB = replicaA && (await connect());
});

after(async () => {
  if (replicaA) {
    let cursor = '0';
    do {
      const [next, keys] = await replicaA.scan(cursor, 'MATCH', `${RUN_PREFIX}*`, 'COUNT', 500);
      if (keys.length > 0) await replicaA.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    assert.equal((await replicaA.keys(`${RUN_PREFIX}*`)).length, 0, 'test keys cleaned up');
  }
  replicaA?.disconnect();
  replicaB?.disconnect();
});

/** Stores on both replicas sharing a fresh prefix and a controllable clock; null if no Redis. */
function replicas(t: TestContext, options: RunningQueryStoreOptions = {}): (StoreReplicas & { prefix: string }) | null {
  if (!replicaA || !replicaB) {
    t.skip(UNAVAILABLE);
    return null;
  }
  const clock = { now: 1_700_000_000_000 };
  const prefix = `${RUN_PREFIX}${++testNo}:`;
  const opts = { ...options, prefix, now: () => clock.now };
  return { a: new RedisRunningQueryStore(replicaA, opts), b: new RedisRunningQueryStore(replicaB, opts), clock, prefix };
}

runningQueryStoreContract(replicas);

test('Redis holds no SQL: not in keys, not in values', async (t) => {
  const s = replicas(t);
  if (!s) return;
  await Promise.all(Array.from({ length: 5 }, (_, i) => s.a.claim(key(`${SQL} -- ${i}`), start(`q-${i}`), 30_000)));
  await s.b.complete(key(`${SQL} -- 0`));
  const stored = await replicaA!.keys(`${s.prefix}*`);
  assert.ok(stored.length >= 5);
  for (const k of stored) {
    const value = JSON.stringify(await replicaA!.type(k) === 'hash' ? await replicaA!.hgetall(k) : await replicaA!.zrange(k, 0, -1));
    assert.ok(!value.includes('SELECT') && !k.includes('SELECT'), `no SQL in ${k}`);
  }
});

test('concurrent claims that lose leave no handle and no abandon entry behind', async (t) => {
  const s = replicas(t);
  if (!s) return;
  await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? s.a : s.b).claim(key(), start(`q-${i}`), 30_000)));
  assert.equal((await replicaA!.keys(`${s.prefix}h:*`)).length, 1);
  assert.equal(await replicaA!.zcard(`${s.prefix}abandon`), 1);
});
