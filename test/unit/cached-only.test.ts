import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cachingEngine, uncachedEngine } from '../../src/datasources/cache/caching-engine';
import { ResultCache } from '../../src/datasources/cache/result-cache';
import type { CachePolicy } from '../../src/datasources/types';
import type { CompiledQuery } from '../../src/sql/types';
import { CountingEngine, CountingResumableEngine } from '../support/counting-engine';
import { rejectsWithCode } from '../support/engine-errors';

/** Calls that may start no engine query (`cachedOnly`): what a caller over its budget may still get. */
const QUERY: CompiledQuery = { sql: 'SELECT 1', params: [] };
const TTL: CachePolicy = { ttlMs: 60_000 };
const ONLY_CACHED: CachePolicy = { ...TTL, cachedOnly: true };

function setup(engine = new CountingEngine()) {
  const cache = new ResultCache({ settings: { maxBytes: 1024 ** 2, staleWhileRevalidateMs: 0, lockWaitMs: 1_000 }, shared: null, logger: { warn: () => undefined } });
  return { engine, cached: cachingEngine(engine, cache) };
}

test('nothing cached: NOT_CACHED, and the engine is not asked', async () => {
  const { engine, cached } = setup();
  await rejectsWithCode(cached.execute(QUERY, { cache: ONLY_CACHED }), 'NOT_CACHED');
  assert.equal(engine.queries, 0);
});

test('a fresh answer is served as a hit', async () => {
  const { engine, cached } = setup();
  await cached.execute(QUERY, { cache: TTL });
  const hit = await cached.execute(QUERY, { cache: ONLY_CACHED });
  assert.equal(hit.stats.cache, 'hit');
  assert.equal(engine.queries, 1);
});

test('an identical query in flight is joined (shared): no second engine query', async () => {
  const { engine, cached } = setup();
  engine.hold();
  const first = cached.execute(QUERY, { cache: TTL });
  await sleep(10);
  const joined = cached.execute(QUERY, { cache: ONLY_CACHED });
  engine.release();
  assert.equal((await joined).stats.cache, 'shared');
  assert.equal((await first).stats.cache, 'miss');
  assert.equal(engine.queries, 1);
});

test('the detachable call of a resumable engine honours it too', async () => {
  const { engine, cached } = setup(new CountingResumableEngine());
  const resumable = cached as CountingResumableEngine;
  await rejectsWithCode(resumable.executeDetachable(QUERY, { cache: ONLY_CACHED, detachAt: Date.now() + 1_000 }), 'NOT_CACHED');
  assert.equal(engine.queries, 0);
});

test('with the cache switched off nothing is cached: refused at once; other calls reach the engine', async () => {
  const engine = new CountingEngine();
  const uncached = uncachedEngine(engine);
  await rejectsWithCode(uncached.execute(QUERY, { cache: ONLY_CACHED }), 'NOT_CACHED');
  await uncached.execute(QUERY, { cache: TTL });
  await uncached.execute(QUERY);
  assert.equal(engine.queries, 2);
});
