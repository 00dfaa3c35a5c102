import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test, type TestContext } from 'node:test';
import Redis from 'ioredis';
import { BytesBudget, nextUtcMidnight } from '../../src/limits/bytes-budget';
import { CallerSlots, type SlotGrant } from '../../src/limits/caller-slots';
import { connectTestRedis, deleteKeys } from '../support/redis';

/**
 * The per-caller counters themselves, on a real Redis (a key prefix of this run's own) and in
 * memory: slots as a semaphore shared by replicas, and the bytes budget of a UTC day.
 */
const REDIS_URL = process.env.LAKEGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `lakegate:rl:test-store:${process.pid}-${randomBytes(4).toString('hex')}:`;

let redis: Redis | undefined;
const connections: Redis[] = [];

before(async () => {
  redis = await connectTestRedis(REDIS_URL);
});

after(async () => {
  connections.forEach((connection) => connection.disconnect());
  if (redis) {
    await deleteKeys(redis, PREFIX);
    redis.disconnect();
  }
});

function needsRedis(t: TestContext): boolean {
  if (!redis) t.skip(`Redis unreachable at ${REDIS_URL} (set LAKEGATE_REDIS_URL)`);
  return Boolean(redis);
}

/** A connection as the server makes one: no offline queue, so an outage fails calls at once. */
async function connection(url = REDIS_URL): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1_000, commandTimeout: 500 });
  client.on('error', () => undefined);
  await client.connect().catch(() => undefined);
  connections.push(client);
  return client;
}

const NOW = { signal: new AbortController().signal, waitMs: 0 };
const taken = (grant: SlotGrant): (() => void) => {
  assert.ok(grant.taken, `expected a slot, got ${JSON.stringify(grant)}`);
  return grant.release;
};

describe('caller slots', () => {
  const settings = (name: string) => ({ perCaller: 2, leaseMs: 60_000, keyPrefix: `${PREFIX}${name}` });

  test('in memory: up to the limit per caller, other callers apart; a release wakes a waiting take', async () => {
    const slots = new CallerSlots(null, settings('memory'));
    const first = taken(await slots.take('ana', NOW));
    taken(await slots.take('ana', NOW));
    assert.deepEqual(await slots.take('ana', NOW), { taken: false, reason: 'busy' });
    taken(await slots.take('bo', NOW));
    const waiting = slots.take('ana', { signal: new AbortController().signal, waitMs: 60_000 });
    first();
    taken(await waiting);
  });

  test('a waiting take ends when its caller aborts', async () => {
    const slots = new CallerSlots(null, { ...settings('abort'), perCaller: 1 });
    taken(await slots.take('ana', NOW));
    const controller = new AbortController();
    const waiting = slots.take('ana', { signal: controller.signal, waitMs: 60_000 });
    controller.abort();
    assert.deepEqual(await waiting, { taken: false, reason: 'aborted' });
  });

  test('in Redis: two replicas share the count; a refused take is not counted; the key has a lease and goes at zero', async (t) => {
    if (!needsRedis(t)) return;
    const name = settings('shared');
    const replicaA = new CallerSlots(await connection(), name);
    const replicaB = new CallerSlots(await connection(), name);
    const key = `${name.keyPrefix}:ana`;
    const one = taken(await replicaA.take('ana', NOW));
    const two = taken(await replicaB.take('ana', NOW));
    assert.deepEqual(await replicaA.take('ana', NOW), { taken: false, reason: 'busy' });
    assert.deepEqual(await replicaB.take('ana', NOW), { taken: false, reason: 'busy' });
    assert.equal(await redis!.get(key), '2', 'refused takes are not counted');
    const ttl = await redis!.pttl(key);
    assert.ok(ttl > 0 && ttl <= 60_000, `a lease, got ${ttl}`);
    one();
    await waitFor(async () => (await redis!.get(key)) === '1');
    const waiting = replicaA.take('ana', { signal: new AbortController().signal, waitMs: 10_000 });
    two();
    const three = taken(await waiting);
    three();
    await waitFor(async () => (await redis!.exists(key)) === 0);
  });

  test('Redis unreachable: counted in this replica\'s memory, nothing fails', async () => {
    const slots = new CallerSlots(await connection('redis://127.0.0.1:1'), settings('unreachable'));
    const release = taken(await slots.take('ana', NOW));
    taken(await slots.take('ana', NOW));
    assert.deepEqual(await slots.take('ana', NOW), { taken: false, reason: 'busy' });
    release();
    await waitFor(async () => (await slots.take('ana', NOW)).taken);
  });
});

describe('the bytes budget', () => {
  test('charges add up per caller and UTC day, in Redis across replicas; the day resets at midnight UTC', async (t) => {
    if (!needsRedis(t)) return;
    const settings = { bytesPerDay: 1_000, keyPrefix: `${PREFIX}bytes` };
    const replicaA = new BytesBudget(await connection(), settings);
    const replicaB = new BytesBudget(await connection(), settings);
    const noon = new Date('2024-03-01T12:00:00Z');
    await replicaA.charge('ana', 600, noon);
    await replicaB.charge('ana', 500, noon);
    assert.deepEqual(await replicaB.standing('ana', noon), { spentBytes: 1_100, budgetBytes: 1_000, resetsAt: new Date('2024-03-02T00:00:00Z') });
    assert.equal((await replicaA.standing('bo', noon)).spentBytes, 0);
    assert.equal((await replicaA.standing('ana', new Date('2024-03-02T00:00:00Z'))).spentBytes, 0, 'a new day');
    const ttl = await redis!.ttl(`${PREFIX}bytes:ana:2024-03-01`);
    assert.ok(ttl > 0 && ttl <= 13 * 3600, `kept until a while after its day ends, got ${ttl} s`);
  });

  test('without Redis, in memory', async () => {
    const budget = new BytesBudget(null, { bytesPerDay: 10, keyPrefix: `${PREFIX}memory` });
    await budget.charge('ana', 4);
    await budget.charge('ana', 0);
    assert.equal((await budget.standing('ana')).spentBytes, 4);
  });

  test('the next UTC midnight', () => {
    assert.equal(nextUtcMidnight(new Date('2024-12-31T23:59:59.999Z')).toISOString(), '2025-01-01T00:00:00.000Z');
    assert.equal(nextUtcMidnight(new Date('2024-03-01T00:00:00.000Z')).toISOString(), '2024-03-02T00:00:00.000Z');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < giveUp, 'timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
