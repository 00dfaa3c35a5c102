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
