import type { LimitsConfig } from '../../config/schema';
import { LakegateError } from '../../query/errors';

/** The `limits` settings the document checks read. */
export type DocumentLimits = Pick<LimitsConfig,
  'defaultLimit' | 'maxLimit' | 'maxDepth' | 'maxAliases' | 'maxRootFields' | 'maxTokens' | 'maxDirectives' | 'maxFilterDepth' | 'maxListLength' | 'maxCost'>;

/** A document over a limit, as a value: the limit's name, its configured value, and what was found. */
export interface LimitViolation {
  /** The `limits` key. */
  readonly limit: keyof DocumentLimits;
  readonly max: number;
  readonly message: string;
}

/** `found` says what the document has ("an operation has 31 aliases"); the message adds the limit and its value. */
export function overLimit(limit: keyof DocumentLimits, max: number, found: string): LimitViolation {
  return { limit, max, message: `${found}; limits.${limit} is ${max}` };
}

/** The first violation of several checks run in order, or null. */
export function firstViolation(checks: readonly (() => LimitViolation | null)[]): LimitViolation | null {
  for (const check of checks) {
    const violation = check();
    if (violation) return violation;
  }
  return null;
}

/** The error a refused document is answered with: LIMIT_EXCEEDED (HTTP 400), `limit` and `max` in its extensions. */
export function limitExceeded(violation: LimitViolation): LakegateError {
  return new LakegateError('LIMIT_EXCEEDED', violation.message, { limit: violation.limit, max: violation.max });
}
