/**
 * How often the Redshift Data adapter asks DescribeStatement: fast at first (SLA queries on
 * Redshift mostly finish in well under a second), then backing off geometrically to a cap. A poll
 * the Data API throttled counts as a miss and moves the schedule on, so a throttled engine backs
 * off on its own. Every poll of one engine goes through a shared rate limiter, so a burst of
 * concurrent queries stays under the account's DescribeStatement quota.
 */

export interface RedshiftPollOptions {
  /** Wait before the first DescribeStatement, in ms. */
  readonly firstMs: number;
  /** The longest wait between two polls of one statement, in ms. */
  readonly maxMs: number;
  /** Each wait is the previous one times this (≥ 1). */
  readonly factor: number;
  /** Upper bound on DescribeStatement calls per second for the whole engine (all statements). */
  readonly maxCallsPerSecond: number;
}

export const DEFAULT_REDSHIFT_POLL: RedshiftPollOptions = Object.freeze({ firstMs: 50, maxMs: 1_000, factor: 1.5, maxCallsPerSecond: 20 });

/** Fills in defaults and rejects nonsense at engine creation, not at the first query. */
export function redshiftPollOptions(overrides: Partial<RedshiftPollOptions> = {}): RedshiftPollOptions {
  const options = { ...DEFAULT_REDSHIFT_POLL, ...overrides };
  for (const name of ['firstMs', 'maxMs', 'maxCallsPerSecond'] as const) {
    const value = options[name];
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`poll.${name} must be a positive number, got ${value}`);
  }
  if (!Number.isFinite(options.factor) || options.factor < 1) throw new RangeError(`poll.factor must be ≥ 1, got ${options.factor}`);
  if (options.maxMs < options.firstMs) throw new RangeError(`poll.maxMs (${options.maxMs}) must not be below poll.firstMs (${options.firstMs})`);
  return Object.freeze(options);
}

/** The wait before the `attempt`-th poll (0-based): firstMs · factor^attempt, capped at maxMs. */
export function redshiftPollDelay(attempt: number, options: RedshiftPollOptions): number {
  if (attempt <= 0) return options.firstMs;
  return Math.min(options.maxMs, Math.round(options.firstMs * options.factor ** Math.min(attempt, 1_000)));
}

/** Spaces calls at least 1000 / maxCallsPerSecond ms apart, in the order they ask. */
export class PollRateLimiter {
  private readonly intervalMs: number;
  private nextFree = Number.NEGATIVE_INFINITY;

  constructor(maxCallsPerSecond: number, private readonly now: () => number = () => performance.now()) {
    this.intervalMs = 1_000 / maxCallsPerSecond;
  }

  /** Books the next free slot and says how long to wait for it. */
  reserve(): number {
    const now = this.now();
    const slot = Math.max(now, this.nextFree);
    this.nextFree = slot + this.intervalMs;
    return slot - now;
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
