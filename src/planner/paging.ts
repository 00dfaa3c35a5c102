import { LakegateError } from '../query/errors';
import type { Limits } from './context';

/** Checks `limit`/`offset` arguments against the configured bounds; too many rows is an error. */
export function resolvePaging(limit: number | null | undefined, offset: number | null | undefined, limits: Limits): { limit: number; offset: number } {
  const resolvedLimit = limit ?? limits.defaultLimit;
  if (resolvedLimit < 0) throw new LakegateError('BAD_USER_INPUT', `limit must not be negative (got ${resolvedLimit})`);
  if (resolvedLimit > limits.maxLimit) {
    throw new LakegateError('LIMIT_EXCEEDED', `limit ${resolvedLimit} is above the maximum of ${limits.maxLimit} rows; page with offset instead`, { limit: 'maxLimit', max: limits.maxLimit });
  }
  const resolvedOffset = offset ?? 0;
  if (resolvedOffset < 0) throw new LakegateError('BAD_USER_INPUT', `offset must not be negative (got ${resolvedOffset})`);
  return { limit: resolvedLimit, offset: resolvedOffset };
}

/** Checks a page's `first` against the configured bounds: above the maximum is refused like `limit`, and a page holds at least one row. */
export function resolveFirst(first: number | null | undefined, limits: Limits): number {
  const resolved = first ?? limits.defaultLimit;
  if (resolved < 1) throw new LakegateError('BAD_USER_INPUT', `first must be at least 1 (got ${resolved})`);
  if (resolved > limits.maxLimit) {
    throw new LakegateError('LIMIT_EXCEEDED', `first ${resolved} is above the maximum of ${limits.maxLimit} rows a page`, { limit: 'maxLimit', max: limits.maxLimit });
  }
  return resolved;
}
