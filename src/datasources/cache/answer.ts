import type { CacheOutcome, QueryResult } from '../types';
import { ageOf } from './freshness';
import type { CachedAnswer } from './types';

/** What is kept of an engine result: its rows and the engine's stats, without any earlier cache marks. */
export function answerOf(result: QueryResult, storedAt: number): CachedAnswer {
  const { cache: _cache, ageMs: _ageMs, ...stats } = result.stats;
  return { rows: result.rows, stats, storedAt };
}

/**
 * An answer as an engine call's result: the stats of the engine query that produced the rows
 * (its queryId, so the audit names it), with how the cache answered and the answer's age.
 */
export function resultOf(answer: CachedAnswer, outcome: CacheOutcome, now: number): QueryResult {
  const ageMs = outcome === 'miss' ? 0 : ageOf(answer, now);
  return { rows: answer.rows, stats: { ...answer.stats, cache: outcome, ageMs } };
}
