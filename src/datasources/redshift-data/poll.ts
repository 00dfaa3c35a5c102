import { resolvePollOptions, type PollOptions } from '../shared/poll';

/**
 * How often the Redshift Data adapter asks DescribeStatement: fast at first (SLA queries on
 * Redshift mostly finish in well under a second), then backing off to a cap. A poll the Data API
 * throttled counts as a miss and moves the schedule on, so a throttled engine backs off on its own.
 * The schedule, limiter and sleep are the shared ones (`../shared/poll`); only the defaults live here.
 */

export { CallRateLimiter as PollRateLimiter, pollDelay as redshiftPollDelay, sleep } from '../shared/poll';

export type RedshiftPollOptions = PollOptions;

export const DEFAULT_REDSHIFT_POLL: RedshiftPollOptions = Object.freeze({ firstMs: 50, maxMs: 1_000, factor: 1.5, maxCallsPerSecond: 20 });

/** Fills in defaults and rejects nonsense at engine creation, not at the first query. */
export function redshiftPollOptions(overrides: Partial<RedshiftPollOptions> = {}): RedshiftPollOptions {
  return resolvePollOptions(DEFAULT_REDSHIFT_POLL, overrides);
}
