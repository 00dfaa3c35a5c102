import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type Redis from 'ioredis';
import { MemoryRunningQueryStore } from '../../src/planner/long-queries/memory-store';
import { RedisRunningQueryStore } from '../../src/planner/long-queries/redis-store';
import type { RunningQueryStore } from '../../src/planner/long-queries/types';
import { key, start } from '../support/running-query-store-contract';
import { connectTestRedis, deleteKeys } from '../support/redis';

/**
 * Differential: random sequences of store calls give the same answers from the memory store as
 * from the Redis store (the Lua scripts), on one shared clock. Handles are random, so answers
 * compare them by the order they were first seen in.
 */
const REDIS_URL = process.env.LAKEGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN_PREFIX = `lakegate:lq:diff:${process.pid}-${randomBytes(4).toString('hex')}:`;
let redis: Redis | undefined;

before(async () => {
  redis = await connectTestRedis(REDIS_URL);
});

after(async () => {
  if (!redis) return;
  await deleteKeys(redis, RUN_PREFIX);
  redis.disconnect();
});

type Op =
  | { op: 'claim'; k: number; q: number; grace: number }
  | { op: 'get' | 'complete' | 'fail' | 'lock'; k: number }
  | { op: 'touch'; k: number; grace: number }
  | { op: 'lookup'; h: number }
  | { op: 'abandoned'; limit: number }
  | { op: 'advance'; ms: number };

const keyIndex = fc.integer({ min: 0, max: 2 });
const grace = fc.constantFrom(0, 500, 1_000, 5_000);
const operation: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('claim' as const), k: keyIndex, q: fc.integer({ min: 0, max: 9 }), grace }),
  fc.record({ op: fc.constantFrom('get' as const, 'complete' as const, 'fail' as const, 'lock' as const), k: keyIndex }),
  fc.record({ op: fc.constant('touch' as const), k: keyIndex, grace }),
  fc.record({ op: fc.constant('lookup' as const), h: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant('abandoned' as const), limit: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(100, 600, 1_200, 6_000) }),
);

/** One store with its clock and the handles it gave out, in order. */
class Subject {
  readonly handles: string[] = [];
  constructor(readonly store: RunningQueryStore, private readonly clock: { now: number }) {}

  async apply(op: Op): Promise<unknown> {
    const { store } = this;
    switch (op.op) {
      case 'claim':
        return this.normal(await store.claim(key(`k${op.k}`), start(`q-${op.q}`), op.grace));
      case 'get':
        return this.normal(await store.get(key(`k${op.k}`)));
      case 'complete':
        return store.complete(key(`k${op.k}`));
      case 'fail':
        return store.fail(key(`k${op.k}`));
      case 'lock':
        return store.tryLockForStop(key(`k${op.k}`), 30_000);
      case 'touch':
        return store.touch(key(`k${op.k}`), op.grace);
      case 'lookup':
        return this.normal(await store.lookup(this.handles[op.h] ?? 'never-issued'));
      case 'abandoned':
        return this.normal(await store.abandoned(this.clock.now, op.limit));
      case 'advance':
        this.clock.now += op.ms;
        return null;
    }
  }

  /** Replaces each handle by its first-seen index, so two stores' answers compare. */
  private normal(value: unknown): unknown {
    return JSON.parse(JSON.stringify(value ?? null), (name, item: unknown) => {
      if (name !== 'handle' || typeof item !== 'string') return item;
      if (!this.handles.includes(item)) this.handles.push(item);
      return `#${this.handles.indexOf(item)}`;
    });
  }
}

test('the memory store answers every call sequence exactly as the Redis store does', async (t) => {
  if (!redis) {
    t.skip(`Redis unreachable at ${REDIS_URL} (set LAKEGATE_REDIS_URL)`);
    return;
  }
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 30 }), async (ops) => {
      const clock = { now: 1_700_000_000_000 };
      const now = (): number => clock.now;
      const viaRedis = new Subject(new RedisRunningQueryStore(redis!, { prefix: `${RUN_PREFIX}${++run}:`, now }), clock);
      const inMemory = new Subject(new MemoryRunningQueryStore({ now }), clock);
      for (const [index, op] of ops.entries()) {
        const expected = await viaRedis.apply(op);
        const actual = await inMemory.apply(op);
        assert.deepEqual(actual, expected, `step ${index}: ${JSON.stringify(op)}`);
      }
    }),
    { numRuns: 150 },
  );
});
