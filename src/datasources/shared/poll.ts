import { onAbort } from './abort';

/**
 * How the polling adapters (Athena, Redshift Data) ask for a query's state: fast at first, then
 * backing off geometrically to a cap, with every poll of one engine going through a shared rate
 * limiter so a burst of concurrent queries stays under the account's quota for the status call.
 * Pure apart from `sleep`; the clock is injectable for tests.
 */

export interface PollOptions {
  /** Wait before the first status call, in ms. */
  readonly firstMs: number;
  /** The longest wait between two polls of one query, in ms. */
  readonly maxMs: number;
  /** Each wait is the previous one times this (≥ 1). */
  readonly factor: number;
  /** Upper bound on status calls per second for the whole engine (all queries). */
  readonly maxCallsPerSecond: number;
}

/** Fills in an engine's defaults and rejects nonsense early (at engine creation, not at the first query). */
export function resolvePollOptions(defaults: PollOptions, overrides: Partial<PollOptions> = {}): PollOptions {
  const options = { ...defaults, ...overrides };
  for (const name of ['firstMs', 'maxMs', 'maxCallsPerSecond'] as const) {
    const value = options[name];
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`poll.${name} must be a positive number, got ${value}`);
  }
  if (!Number.isFinite(options.factor) || options.factor < 1) throw new RangeError(`poll.factor must be ≥ 1, got ${options.factor}`);
  if (options.maxMs < options.firstMs) throw new RangeError(`poll.maxMs (${options.maxMs}) must not be below poll.firstMs (${options.firstMs})`);
  return Object.freeze(options);
}

/** The wait before the `attempt`-th poll (0-based): firstMs · factor^attempt, capped at maxMs. */
export function pollDelay(attempt: number, options: PollOptions): number {
  if (attempt <= 0) return options.firstMs;
  // Stop multiplying once the cap is reached, so a long-running query never overflows.
  const grown = options.firstMs * options.factor ** Math.min(attempt, 1_000);
  return Math.min(options.maxMs, Math.round(grown));
}

/** The first `count` waits of the schedule (what a bench or a test wants to print). */
export function pollSchedule(count: number, options: PollOptions): number[] {
  return Array.from({ length: count }, (_, attempt) => pollDelay(attempt, options));
}

/**
 * A leaky-bucket limiter: calls are spaced at least 1000 / maxCallsPerSecond ms apart, in the
 * order they ask. `reserve()` books the next free slot and says how long to wait for it.
 */
export class CallRateLimiter {
  private readonly intervalMs: number;
  private nextFree = Number.NEGATIVE_INFINITY;

  constructor(maxCallsPerSecond: number, private readonly now: () => number = () => performance.now()) {
    this.intervalMs = 1_000 / maxCallsPerSecond;
  }

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
    const timer = setTimeout(() => {
      forgetAbort?.();
      resolve();
    }, ms);
    const forgetAbort = signal ? onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal.reason);
    }) : undefined;
  });
}
