import type { CachePolicy } from '../types';
import type { CachedAnswer, Freshness } from './types';

/**
 * Judges an answer by the asking policy's TTL and the stale window, on the cache's own clock:
 * younger than the TTL is fresh; up to the stale window past it, stale (served while refreshed);
 * older, expired (a miss). An answer from the future (another replica's clock) counts as new.
 */
export function freshnessOf(answer: CachedAnswer, policy: CachePolicy, staleWhileRevalidateMs: number, now: number): Freshness {
  const age = ageOf(answer, now);
  if (age < policy.ttlMs) return 'fresh';
  return age < policy.ttlMs + staleWhileRevalidateMs ? 'stale' : 'expired';
}

export function ageOf(answer: CachedAnswer, now: number): number {
  return Math.max(0, now - answer.storedAt);
}
