import type Redis from 'ioredis';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { insuredCounter } from './insured-counter';

export interface RequestRateSettings {
  /** Requests one caller may make per window. */
  readonly requests: number;
  readonly windowMs: number;
  /** Namespace of the counters, e.g. `lakegate:rl:req`. */
  readonly keyPrefix: string;
}

/** A request goes on, or waits `retryAfterMs` for the caller's window to end. */
export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterMs: number };

/**
 * Requests per caller (the token's subject) per fixed window, counted in Redis when there is one
 * — every replica shares the budget — else, and while Redis is unreachable, in this replica's
 * memory. The window runs from a caller's first request, in whole seconds.
 */
export class RequestRate {
  private readonly counter: RateLimiterAbstract;

  constructor(redis: Redis | null, readonly settings: RequestRateSettings) {
    this.counter = insuredCounter(redis, {
      keyPrefix: settings.keyPrefix,
      points: settings.requests,
      durationSeconds: wholeSeconds(settings.windowMs),
    });
  }

  /** Counts one request of `subject`; rejects only if even the memory counter fails (never expected). */
  async admit(subject: string): Promise<Admission> {
    try {
      await this.counter.consume(subject);
      return { admitted: true };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return { admitted: false, retryAfterMs: outcome.msBeforeNext };
      throw outcome;
    }
  }
}

function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
