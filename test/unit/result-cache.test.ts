import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { cachingEngine } from '../../src/datasources/cache/caching-engine';
import { ResultCache } from '../../src/datasources/cache/result-cache';
import type { CacheSettings } from '../../src/datasources/cache/types';
import { EngineError } from '../../src/datasources/errors';
import { isDetached, isResumable, type CachePolicy, type QueryResult, type ResumableEngine } from '../../src/datasources/types';
import type { CompiledQuery } from '../../src/sql/types';
import { CountingEngine, CountingResumableEngine } from '../support/counting-engine';
import { rejectsWithCode } from '../support/engine-errors';

/** The result cache over a counting engine (the engine boundary), memory tier only, on a clock the test moves. */
const SILENT = { warn: () => undefined };
const QUERY: CompiledQuery = { sql: 'SELECT n FROM t WHERE a = ?', params: [{ value: 1, type: { kind: 'int' } }] };
const TTL: CachePolicy = { ttlMs: 1_000 };

function setup(settings: Partial<CacheSettings> = {}) {
  const clock = { now: 1_000_000 };
  const engine = new CountingEngine();
  const cache = new ResultCache({
    settings: { maxBytes: 1024 ** 2, staleWhileRevalidateMs: 0, lockWaitMs: 1_000, ...settings },
    shared: null,
    logger: SILENT,
    now: () => clock.now,
  });
  const cached = cachingEngine(engine, cache);
  return { clock, engine, cached };
}

const outcome = (result: QueryResult) => ({ cache: result.stats.cache, ageMs: result.stats.ageMs, queryId: result.stats.queryId });

/** Lets the cache's own awaits (lookups, the refresh's start) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await tick();
}

describe('freshness on the cache clock', () => {
  test('a call without a policy passes straight through: every call runs, nothing is marked', async () => {
    const { engine, cached } = setup();
    const first = await cached.execute(QUERY);
    const second = await cached.execute(QUERY, { deadline: Date.now() + 1_000 });
    assert.equal(engine.queries, 2);
    assert.equal(first.stats.cache, undefined);
    assert.equal(second.stats.ageMs, undefined);
  });

  test('miss, then hits while younger than the TTL (same engine query, its age), then a miss at the TTL', async () => {
    const { clock, engine, cached } = setup();
    assert.deepEqual(outcome(await cached.execute(QUERY, { cache: TTL })), { cache: 'miss', ageMs: 0, queryId: 'counting-q1' });
    clock.now += 999;
    const hit = await cached.execute(QUERY, { cache: TTL });
    assert.deepEqual(outcome(hit), { cache: 'hit', ageMs: 999, queryId: 'counting-q1' });
    assert.equal(hit.rows[0]!['n'], 1, 'the rows of the first engine query');
    clock.now += 1;
    assert.deepEqual(outcome(await cached.execute(QUERY, { cache: TTL })), { cache: 'miss', ageMs: 0, queryId: 'counting-q2' });
    assert.equal(engine.queries, 2);
  });

  test('the key is the engine, the SQL and each parameter with its type', async () => {
    const { engine, cached } = setup();
    await cached.execute(QUERY, { cache: TTL });
    await cached.execute({ ...QUERY, params: [{ value: 1, type: { kind: 'double' } }] }, { cache: TTL });
    await cached.execute({ ...QUERY, params: [{ value: 2, type: { kind: 'int' } }] }, { cache: TTL });
    await cached.execute({ ...QUERY, sql: `${QUERY.sql} ` }, { cache: TTL });
    assert.equal(engine.queries, 4, 'no two of these share an entry');
    await cached.execute({ sql: QUERY.sql, params: [{ value: 1, type: { kind: 'int' } }] }, { cache: TTL });
    assert.equal(engine.queries, 4, 'an equal query (built anew) does');
  });

  test('stale-while-revalidate: a stale answer is served while exactly one background refresh runs, not tied to the request', async () => {
    const { clock, engine, cached } = setup({ staleWhileRevalidateMs: 1_000 });
    await cached.execute(QUERY, { cache: TTL });
    clock.now += 1_500;
    engine.hold();
    const request = new AbortController();
    const deadline = Date.now() + 5_000;
    const stale = await Promise.all(Array.from({ length: 5 }, () => cached.execute(QUERY, { cache: TTL, signal: request.signal, deadline })));
    assert.deepEqual(stale.map(outcome), Array.from({ length: 5 }, () => ({ cache: 'stale', ageMs: 1_500, queryId: 'counting-q1' })));
    await settle();
    assert.equal(engine.queries, 2, 'one refresh for five stale reads');
    request.abort();
    const refresh = engine.calls[1]!.options!;
    assert.equal(refresh.signal?.aborted, false, 'the request going away does not stop the refresh');
    assert.equal(refresh.deadline, deadline, 'the refresh has the request\'s time budget');
    assert.deepEqual(outcome(await cached.execute(QUERY, { cache: TTL })), { cache: 'stale', ageMs: 1_500, queryId: 'counting-q1' }, 'still stale while refreshing');
    engine.release();
    await settle();
    assert.deepEqual(outcome(await cached.execute(QUERY, { cache: TTL })), { cache: 'hit', ageMs: 0, queryId: 'counting-q2' });
    assert.equal(engine.queries, 2);
  });

  test('past the stale window an answer is a miss; without a window there is no stale answer', async () => {
    const windowed = setup({ staleWhileRevalidateMs: 1_000 });
    await windowed.cached.execute(QUERY, { cache: TTL });
    windowed.clock.now += 2_000;
    assert.equal((await windowed.cached.execute(QUERY, { cache: TTL })).stats.cache, 'miss');
    const plain = setup();
    await plain.cached.execute(QUERY, { cache: TTL });
    plain.clock.now += 1_001;
    assert.equal((await plain.cached.execute(QUERY, { cache: TTL })).stats.cache, 'miss');
    assert.equal(plain.engine.queries, 2);
  });

  test('a failed background refresh keeps the stale answer and the next stale read tries again', async () => {
    const { clock, engine, cached } = setup({ staleWhileRevalidateMs: 1_000 });
    await cached.execute(QUERY, { cache: TTL });
    clock.now += 1_200;
    engine.failNext(new EngineError('QUERY_FAILED', 'boom', engine.name));
    assert.equal((await cached.execute(QUERY, { cache: TTL })).stats.cache, 'stale');
    await settle();
    assert.equal((await cached.execute(QUERY, { cache: TTL })).stats.queryId, 'counting-q1');
    await settle();
    assert.equal(engine.queries, 3);
    assert.deepEqual(outcome(await cached.execute(QUERY, { cache: TTL })), { cache: 'hit', ageMs: 0, queryId: 'counting-q3' });
  });
});

describe('bounds, errors and refresh', () => {
  test('memory is bounded in bytes: the least recently used answer goes first; one larger than the bound is never kept', async () => {
    const { engine, cached } = setup({ maxBytes: 1_000 });
    engine.padding = 300;
    const query = (name: string): CompiledQuery => ({ sql: `SELECT '${name}'`, params: [] });
    await cached.execute(query('a'), { cache: TTL });
    await cached.execute(query('b'), { cache: TTL });
    assert.equal((await cached.execute(query('a'), { cache: TTL })).stats.cache, 'hit', 'two answers fit');
    await cached.execute(query('c'), { cache: TTL });
    assert.equal((await cached.execute(query('a'), { cache: TTL })).stats.cache, 'hit', 'a was used more recently than b');
    assert.equal((await cached.execute(query('b'), { cache: TTL })).stats.cache, 'miss', 'b was evicted for c');
    engine.padding = 2_000;
    await cached.execute(query('big'), { cache: TTL });
    assert.equal((await cached.execute(query('big'), { cache: TTL })).stats.cache, 'miss');
  });

  test('an engine error is not cached, and the callers sharing the failed query get the same error', async () => {
    const { engine, cached } = setup();
    engine.hold();
    engine.failNext(new EngineError('QUERY_FAILED', 'syntax error at 1', engine.name, 'q-failed'));
    const calls = Array.from({ length: 3 }, () => cached.execute(QUERY, { cache: TTL }));
    await settle();
    engine.release();
    for (const call of calls) assert.equal(await rejectsWithCode(call, 'QUERY_FAILED', 'syntax error at 1'), 'q-failed');
    assert.equal(engine.queries, 1);
    assert.equal((await cached.execute(QUERY, { cache: TTL })).stats.cache, 'miss', 'the next call runs the query');
    assert.equal(engine.queries, 2);
  });

  test('refresh runs on the engine even when fresh, and stores what it gets', async () => {
    const { clock, engine, cached } = setup();
    await cached.execute(QUERY, { cache: TTL });
    clock.now += 100;
    assert.deepEqual(outcome(await cached.execute(QUERY, { cache: { ...TTL, refresh: true } })), { cache: 'miss', ageMs: 0, queryId: 'counting-q2' });
    clock.now += 100;
    assert.deepEqual(outcome(await cached.execute(QUERY, { cache: TTL })), { cache: 'hit', ageMs: 100, queryId: 'counting-q2' });
    assert.equal(engine.queries, 2);
  });
});

describe('single flight on one replica', () => {
  test('identical concurrent misses run one engine query: one miss, the others shared', async () => {
    const { engine, cached } = setup();
    engine.hold();
    const calls = Array.from({ length: 20 }, () => cached.execute(QUERY, { cache: TTL, deadline: Date.now() + 5_000 }));
    await settle();
    engine.release();
    const results = await Promise.all(calls);
    assert.equal(engine.queries, 1);
    assert.deepEqual(results.map((result) => result.stats.cache).sort(), ['miss', ...Array.from({ length: 19 }, () => 'shared')].sort());
    assert.ok(results.every((result) => result.stats.queryId === 'counting-q1' && result.rows[0]!['n'] === 1));
  });

  test('a caller that goes away abandons only its own wait; the query others share runs on', async () => {
    const { engine, cached } = setup();
    engine.hold();
    const leaving = new AbortController();
    const first = cached.execute(QUERY, { cache: TTL, signal: leaving.signal });
    const second = cached.execute(QUERY, { cache: TTL, signal: new AbortController().signal });
    await settle();
    leaving.abort();
    await rejectsWithCode(first, 'QUERY_CANCELLED');
    assert.equal(engine.calls[0]!.options!.signal?.aborted, false, 'the shared engine query is not cancelled');
    engine.release();
    assert.equal((await second).stats.queryId, 'counting-q1');
    assert.equal(engine.queries, 1);
  });

  test('when every caller has gone the engine query is cancelled, nothing is stored, and the next caller starts afresh', async () => {
    const { engine, cached } = setup();
    engine.hold();
    const callers = [new AbortController(), new AbortController()];
    const calls = callers.map((caller) => cached.execute(QUERY, { cache: TTL, signal: caller.signal }));
    await settle();
    callers.forEach((caller) => caller.abort());
    for (const call of calls) await rejectsWithCode(call, 'QUERY_CANCELLED');
    assert.equal(engine.calls[0]!.options!.signal?.aborted, true);
    engine.release();
    assert.equal((await cached.execute(QUERY, { cache: TTL })).stats.cache, 'miss');
    assert.equal(engine.queries, 2);
  });
});

describe('a resumable engine behind the cache', () => {
  function resumableSetup() {
    const engine = new CountingResumableEngine();
    const cache = new ResultCache({ settings: { maxBytes: 1024 ** 2, staleWhileRevalidateMs: 0, lockWaitMs: 1_000 }, shared: null, logger: SILENT });
    const cached = cachingEngine(engine, cache);
    assert.ok(isResumable(cached), 'stays resumable');
    return { engine, cached: cached as ResumableEngine };
  }

  test('a completed detachable miss is stored; a hit answers without starting anything', async () => {
    const { engine, cached } = resumableSetup();
    const miss = await cached.executeDetachable(QUERY, { detachAt: Date.now() + 1_000, cache: TTL });
    assert.ok(!isDetached(miss) && miss.stats.cache === 'miss');
    const hit = await cached.executeDetachable(QUERY, { detachAt: Date.now() + 1_000, cache: TTL });
    assert.ok(!isDetached(hit));
    assert.deepEqual(outcome(hit).cache, 'hit');
    assert.equal((await cached.execute(QUERY, { cache: TTL })).stats.cache, 'hit', 'execute and executeDetachable share entries');
    assert.equal(engine.queries, 1);
  });

  test('a query still running at detachAt is handed on, not stored; identical callers get the same query', async () => {
    const { engine, cached } = resumableSetup();
    engine.detachNext();
    const both = await Promise.all([1, 2].map(() => cached.executeDetachable(QUERY, { detachAt: Date.now() + 1_000, cache: TTL })));
    assert.deepEqual(both[0], both[1]);
    assert.ok(isDetached(both[0]!));
    assert.equal(engine.queries, 1);
    const next = await cached.executeDetachable(QUERY, { detachAt: Date.now() + 1_000, cache: TTL });
    assert.ok(!isDetached(next) && next.stats.cache === 'miss', 'nothing was stored for the detached query');
  });

  test('resume, stopQuery and probe pass through; without a policy executeDetachable does too', async () => {
    const { engine, cached } = resumableSetup();
    await cached.resume('q-9', { detachAt: Date.now() + 1_000 });
    await cached.stopQuery('q-9');
    await cached.probe('q-9');
    await cached.executeDetachable(QUERY, { detachAt: Date.now() + 1_000 });
    await cached.executeDetachable(QUERY, { detachAt: Date.now() + 1_000 });
    assert.deepEqual(engine.calls.map((call) => call.method), ['resume', 'stopQuery', 'probe', 'executeDetachable', 'executeDetachable']);
  });
});
