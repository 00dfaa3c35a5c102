import type Redis from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { insuredCounter } from './insured-counter';

const DAY_MS = 86_400_000;
/** A day's counter is kept this long past its day, so a clock a little behind still finds it. */
const KEEP_PAST_DAY_S = 3_600;

export interface BytesBudgetSettings {
  /** Bytes one caller's queries may scan per UTC day. */
  readonly bytesPerDay: number;
  /** Namespace of the counters, e.g. `lakegate:rl:bytes`. */
  readonly keyPrefix: string;
}

/** Where a caller stands today: what its queries scanned, against what budget, and when the day ends. */
export interface BudgetStanding {
  readonly spentBytes: number;
  readonly budgetBytes: number;
  readonly resetsAt: Date;
}

/**
 * Bytes scanned per caller (the token's subject) per UTC day: one rate-limiter-flexible counter
 * per caller and day, in Redis when there is one (every replica adds to and reads the same
 * count), else — and while Redis is unreachable — in this replica's memory. Counting never
 * refuses: whether a caller may start another query is the reader's decision.
 */
export class BytesBudget {
  private readonly counter: RateLimiterAbstract;

  constructor(redis: Redis | null, readonly settings: BytesBudgetSettings) {
    this.counter = insuredCounter(redis, { keyPrefix: settings.keyPrefix, points: settings.bytesPerDay, durationSeconds: DAY_MS / 1000 + KEEP_PAST_DAY_S });
  }

  async standing(subject: string, now = new Date()): Promise<BudgetStanding> {
    const today = await this.counter.get(dayKey(subject, now));
    return { spentBytes: today?.consumedPoints ?? 0, budgetBytes: this.settings.bytesPerDay, resetsAt: nextUtcMidnight(now) };
  }

  /** Adds what one engine query scanned to the caller's day. */
  async charge(subject: string, bytes: number, now = new Date()): Promise<void> {
    const whole = Math.round(bytes);
    if (whole <= 0) return;
    const secondsLeft = Math.ceil((nextUtcMidnight(now).getTime() - now.getTime()) / 1000);
    await this.counter.penalty(dayKey(subject, now), whole, { customDuration: secondsLeft + KEEP_PAST_DAY_S });
  }
}

/** The start of the next UTC day: when a day's budget is fresh again. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
}

function dayKey(subject: string, now: Date): string {
  return `${subject}:${now.toISOString().slice(0, 10)}`;
}
