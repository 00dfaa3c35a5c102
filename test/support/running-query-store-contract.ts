import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { requestKey } from '../../src/planner/long-queries/keys';
import type { RunningQueryRecord, RunningQueryStart, RunningQueryStore, RunningQueryStoreOptions } from '../../src/planner/long-queries/types';

/**
 * What every running-query store must do, whatever holds the state: the same tests run against
 * the Redis store (two connections standing for two replicas) and the memory store (one shared
 * instance). `a` and `b` share one state and one controllable clock.
 */
export interface StoreReplicas {
  readonly a: RunningQueryStore;
  readonly b: RunningQueryStore;
  readonly clock: { now: number };
}

/** Fresh replicas over a fresh state, or null when the backing service is unreachable (the test skips). */
export type MakeReplicas = (t: TestContext, options?: Pick<RunningQueryStoreOptions, 'doneRetentionMs' | 'orphanTtlMs'>) => StoreReplicas | null;

export const SQL = 'SELECT "amount" FROM "lake"."transactions" WHERE "region" = ?';
export const start = (queryId: string, startedAt = 1_700_000_000_000): RunningQueryStart => ({ engine: 'athena', queryId, entitlement: 'ent-1', startedAt });
export const key = (sql = SQL): string => requestKey({ engine: 'athena', entitlement: 'ent-1', sql, params: ['EU'] });

async function runningRecord(store: RunningQueryStore, handle: string): Promise<RunningQueryRecord | null> {
  const found = await store.lookup(handle);
  return found.state === 'running' ? found.record : null;
}

export function runningQueryStoreContract(makeReplicas: MakeReplicas): void {
  test('a second replica claiming the same key picks up the first query and handle', async (t) => {
    const s = makeReplicas(t, {});
    if (!s) return;
    const first = await s.a.claim(key(), start('q-1'), 30_000);
    assert.equal(first.created, true);
    assert.equal(first.record.queryId, 'q-1');
    assert.equal(first.record.abandonAt, s.clock.now + 30_000);

    const second = await s.b.claim(key(), start('q-2-duplicate'), 30_000);
    assert.equal(second.created, false);
    assert.equal(second.record.queryId, 'q-1');
    assert.equal(second.handle, first.handle);

    assert.deepEqual(await runningRecord(s.b, first.handle), first.record);
    assert.deepEqual(await s.b.get(key()), first.record);
  });

  test('handles are 128-bit base64url and distinct; unknown handles are unknown', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => s.a.claim(key(`${SQL} -- ${i}`), start(`q-${i}`), 30_000)));
    const handles = new Set(claims.map((c) => c.handle));
    assert.equal(handles.size, 50);
    for (const handle of handles) {
      assert.match(handle, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(Buffer.from(handle, 'base64url').length, 16);
    }
    assert.equal(await runningRecord(s.b, randomBytes(16).toString('base64url')), null);
    assert.equal(await runningRecord(s.b, ''), null);
    assert.deepEqual(await s.b.lookup('not-a-handle'), { state: 'unknown' });

  });

  test('touch pushes abandonAt forward, never back, and only for a live record', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    await s.a.claim(key(), start('q-1'), 10_000);
    s.clock.now += 5_000;
    assert.equal(await s.b.touch(key(), 10_000), true);
    assert.equal((await s.a.get(key()))?.abandonAt, s.clock.now + 10_000);
    assert.equal(await s.b.touch(key(), 1_000), true);
    assert.equal((await s.a.get(key()))?.abandonAt, s.clock.now + 10_000, 'a shorter touch does not shorten the grace');
    assert.equal(await s.b.touch(key('SELECT 1'), 10_000), false);
    assert.equal(await s.a.get(key('SELECT 1')), null);
  });

  test('abandoned() returns only records past their abandonAt, up to the limit', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    const t0 = s.clock.now;
    await s.a.claim(key('A'), start('q-a'), 1_000);
    await s.a.claim(key('B'), start('q-b'), 2_000);
    await s.b.claim(key('C'), start('q-c'), 60_000);
    assert.deepEqual(await s.b.abandoned(t0 + 999, 10), []);
    assert.deepEqual((await s.b.abandoned(t0 + 1_000, 10)).map((r) => r.queryId), ['q-a']);
    assert.deepEqual((await s.b.abandoned(t0 + 5_000, 10)).map((r) => r.queryId), ['q-a', 'q-b']);
    assert.deepEqual((await s.b.abandoned(t0 + 5_000, 1)).map((r) => r.queryId), ['q-a']);
    await s.a.touch(key('A'), 10_000);
    assert.deepEqual((await s.b.abandoned(t0 + 5_000, 10)).map((r) => r.queryId), ['q-b']);
  });

  test('tryLockForStop: exactly one of two concurrent replicas wins, and the record is retired', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    const { handle } = await s.a.claim(key(), start('q-1'), 1_000);
    assert.equal(await s.a.tryLockForStop(key(), 30_000), false, 'not abandoned yet');
    s.clock.now += 1_000;
    const wins = await Promise.all([s.a.tryLockForStop(key(), 30_000), s.b.tryLockForStop(key(), 30_000)]);
    assert.deepEqual(wins.filter(Boolean).length, 1, `exactly one winner: ${wins}`);
    assert.equal(await s.a.get(key()), null);
    assert.deepEqual(await s.b.abandoned(s.clock.now, 10), []);
    const late = await s.b.lookup(handle);
    assert.equal(late.state, 'done');
    assert.equal(late.state === 'done' && late.outcome, 'abandoned');
    assert.equal((await s.b.claim(key(), start('q-2'), 1_000)).created, true, 'a new request starts afresh');
  });

  test('a touch that races the sweep keeps the query alive', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    await s.a.claim(key(), start('q-1'), 1_000);
    s.clock.now += 2_000;
    assert.equal((await s.b.abandoned(s.clock.now, 10)).length, 1);
    await s.a.touch(key(), 1_000);
    assert.equal(await s.b.tryLockForStop(key(), 30_000), false);
    assert.equal((await s.a.get(key()))?.queryId, 'q-1');
  });

  test('complete removes the record; the handle answers done for the retention window', async (t) => {
    const s = makeReplicas(t, { doneRetentionMs: 300 });
    if (!s) return;
    const { handle } = await s.a.claim(key(), start('q-1'), 1_000);
    assert.equal(await s.b.complete(key()), true);
    assert.equal(await s.b.complete(key()), false, 'second complete is a no-op');
    assert.equal(await s.a.get(key()), null);
    assert.equal(await runningRecord(s.a, handle), null);
    assert.deepEqual(await s.a.abandoned(s.clock.now + 10_000, 10), []);
    const late = await s.a.lookup(handle);
    assert.equal(late.state, 'done');
    if (late.state === 'done') {
      assert.equal(late.outcome, 'finished');
      assert.equal(late.record.queryId, 'q-1', 'results stay fetchable by queryId');
    }
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.deepEqual(await s.a.lookup(handle), { state: 'unknown' });
  });

  test('countRunning counts the records every replica sees, until they are retired', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    assert.equal(await s.a.countRunning(), 0);
    await s.a.claim(key(), start('q-1'), 1_000);
    await s.b.claim(key('SELECT 2'), start('q-2'), 1_000);
    await s.b.claim(key(), start('q-1'), 1_000);
    assert.equal(await s.b.countRunning(), 2, 'a second claim of one key is the same query');
    await s.a.complete(key());
    assert.equal(await s.a.countRunning(), 1);
    s.clock.now += 2_000;
    assert.equal(await s.b.tryLockForStop(key('SELECT 2'), 1_000), true);
    assert.equal(await s.a.countRunning(), 0);
  });

  test('fail retires the record like complete, and the handle tells a failed query from a finished one', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    const { handle } = await s.a.claim(key(), start('q-1'), 1_000);
    assert.equal(await s.b.fail(key()), true);
    assert.equal(await s.a.get(key()), null, 'a repeat starts afresh');
    const late = await s.a.lookup(handle);
    assert.equal(late.state === 'done' && late.outcome, 'failed');
  });

  test('an old handle never resolves to a newer query re-claimed under the same key', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    const old = await s.a.claim(key(), start('q-1'), 1_000);
    await s.a.complete(key());
    const fresh = await s.b.claim(key(), start('q-2'), 1_000);
    assert.notEqual(fresh.handle, old.handle);
    assert.equal(await runningRecord(s.a, old.handle), null);
    assert.equal((await runningRecord(s.a, fresh.handle))?.queryId, 'q-2');
  });

  test('20 concurrent claims across two replicas create exactly one record', async (t) => {
    const s = makeReplicas(t);
    if (!s) return;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? s.a : s.b).claim(key(), start(`q-${i}`), 30_000)),
    );
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(new Set(results.map((r) => r.record.queryId)).size, 1);
    assert.equal(new Set(results.map((r) => r.handle)).size, 1);
  });
}
