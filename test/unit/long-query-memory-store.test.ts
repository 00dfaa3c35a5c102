import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestKey } from '../../src/planner/long-queries/keys';
import { MemoryRunningQueryStore } from '../../src/planner/long-queries/memory-store';
import { key, runningQueryStoreContract, SQL, start } from '../support/running-query-store-contract';

/** The memory store keeps the Redis store's contract; "two replicas" are two references to one instance. */
runningQueryStoreContract((_t, options = {}) => {
  const clock = { now: 1_700_000_000_000 };
  const store = new MemoryRunningQueryStore({ ...options, now: () => clock.now });
  return { a: store, b: store, clock };
});

test('requestKey is a sha256 of engine + entitlement + SQL + params, bigint-safe', () => {
  assert.match(key(), /^[0-9a-f]{64}$/);
  assert.equal(key(), key());
  assert.notEqual(requestKey({ engine: 'athena', entitlement: 'ent-2', sql: SQL, params: ['EU'] }), key());
  assert.notEqual(requestKey({ engine: 'redshift', entitlement: 'ent-1', sql: SQL, params: ['EU'] }), key(), 'two dialects may write the same SQL');
  assert.notEqual(requestKey({ engine: 'athena', entitlement: 'ent-1', sql: SQL, params: ['US'] }), key());
  assert.notEqual(requestKey({ engine: 'athena', entitlement: 'ent-1', sql: SQL, params: [1n] }), requestKey({ engine: 'athena', entitlement: 'ent-1', sql: SQL, params: ['1'] }));
});

test('records nobody retires expire after grace + orphan TTL, and abandoned() forgets them', async () => {
  const store = new MemoryRunningQueryStore({ orphanTtlMs: 50 });
  const { handle } = await store.claim(key(), start('q-1'), 0);
  assert.equal((await store.abandoned(Date.now(), 10)).length, 1);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.deepEqual(await store.abandoned(Date.now(), 10), []);
  assert.deepEqual(await store.lookup(handle), { state: 'unknown' });
  assert.equal((await store.claim(key(), start('q-2'), 1_000)).created, true);
});
