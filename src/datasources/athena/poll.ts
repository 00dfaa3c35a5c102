import { resolvePollOptions, type PollOptions } from '../shared/poll';

/**
 * How often the Athena adapter asks GetQueryExecution: fast at first (most ad-hoc reads finish in
 * well under a second), then backing off to a cap. The schedule, limiter and sleep are the shared
 * ones (`../shared/poll`); only Athena's defaults live here.
 */

export { CallRateLimiter, pollDelay, pollSchedule, sleep, type PollOptions } from '../shared/poll';

export const DEFAULT_POLL: PollOptions = Object.freeze({ firstMs: 50, maxMs: 1_000, factor: 1.5, maxCallsPerSecond: 20 });

/** Fills in defaults and rejects nonsense early (at engine creation, not at the first query). */
export function pollOptions(overrides: Partial<PollOptions> = {}): PollOptions {
  return resolvePollOptions(DEFAULT_POLL, overrides);
}
