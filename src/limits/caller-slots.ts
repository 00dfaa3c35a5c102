import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { onAbort } from '../datasources/shared/abort';

/**
 * A caller's running queries as a Redis counter used as a semaphore (rate-limiter-flexible's
 * script hook; KEYS[1] the caller's count; ARGV[1] +1 to take, -1 to give back; ARGV[2] the lease
 * in seconds; ARGV[3] the limit). Unlike the default fixed-window script it refuses a take
 * without counting it, never goes below zero, deletes the key at zero, and renews the lease on
 * every change: the count lives while the caller has queries starting or ending, and a replica
 * that dies mid-query frees its slots once the caller has been quiet for one lease.
 */
const SLOT_SCRIPT = `
local held = tonumber(redis.call('get', KEYS[1]) or '0')
local change = tonumber(ARGV[1])
if change > 0 and held + change > tonumber(ARGV[3]) then
  return {held + change, math.max(0, redis.call('pttl', KEYS[1]))}
end
local now = math.max(0, held + change)
if now == 0 then
  redis.call('del', KEYS[1])
  return {0, 0}
end
redis.call('set', KEYS[1], now, 'EX', ARGV[2])
return {now, 1000 * tonumber(ARGV[2])}
`;

/** Polling for a slot another replica frees: soon at first, then less often (a release here wakes waiters at once). */
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 250;

export interface CallerSlotSettings {
  /** Engine queries one caller may have running at once. */
  readonly perCaller: number;
  /** How long a count outlives the last change to it in Redis (longer than any query may hold a slot). */
  readonly leaseMs: number;
  /** Namespace of the counters, e.g. `lakegate:rl:running`. */
  readonly keyPrefix: string;
}

/** A slot taken (release it when the query is done), or why not: none freed up in time, or the caller left. */
export type SlotGrant =
  | { readonly taken: true; release(): void }
  | { readonly taken: false; readonly reason: 'busy' | 'aborted' };

type Attempt = 'taken' | 'full' | 'unreachable';

/**
 * Concurrent engine queries per caller (the token's subject): in Redis when there is one, so the
 * limit holds across replicas, else in this replica's memory — and in memory while Redis is
 * unreachable. A slot is given back to the store that granted it. `redis` must be a connection
 * of its own: a Redis limiter installs its script on the connection it is given.
 */
export class CallerSlots {
  private readonly shared: RateLimiterAbstract | null;
  private readonly local: RateLimiterAbstract;
  /** Callers on this replica waiting for a slot of a subject, woken when one of its slots here is released. */
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(redis: Redis | null, readonly settings: CallerSlotSettings) {
    const options = { keyPrefix: settings.keyPrefix, points: settings.perCaller };
    this.local = new RateLimiterMemory({ ...options, duration: 0 });
    this.shared = redis
      ? new RateLimiterRedis({
        ...options,
        duration: Math.max(1, Math.ceil(settings.leaseMs / 1000)),
        storeClient: redis,
        rejectIfRedisNotReady: true,
        customIncrTtlLuaScript: SLOT_SCRIPT,
      })
      : null;
  }

  /** Takes a slot for `subject`, waiting up to `waitMs` for one of its queries to end. */
  async take(subject: string, options: { readonly signal: AbortSignal; readonly waitMs: number }): Promise<SlotGrant> {
    const giveUpAt = Date.now() + options.waitMs;
    for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
      if (options.signal.aborted) return { taken: false, reason: 'aborted' };
      const grant = await this.tryTake(subject);
      if (grant) return grant;
      const left = giveUpAt - Date.now();
      if (left <= 0) return { taken: false, reason: 'busy' };
      await this.pause(subject, Math.min(pause, left), options.signal);
    }
  }

  private async tryTake(subject: string): Promise<SlotGrant | null> {
    if (this.shared) {
      const shared = await attempt(this.shared, subject);
      if (shared === 'taken') return this.grant(this.shared, subject);
      if (shared === 'full') return null;
    }
    if ((await attempt(this.local, subject)) === 'taken') return this.grant(this.local, subject);
    // The memory counter counts a refused take too: give it back.
    await this.local.reward(subject);
    return null;
  }

  private grant(store: RateLimiterAbstract, subject: string): SlotGrant {
    let released = false;
    return {
      taken: true,
      release: () => {
        if (released) return;
        released = true;
        void this.giveBack(store, subject).finally(() => this.wake(subject));
      },
    };
  }

  /** Best effort: a slot Redis cannot take back now expires with the caller's lease. */
  private async giveBack(store: RateLimiterAbstract, subject: string): Promise<void> {
    try {
      const left = await store.reward(subject);
      if (store === this.local && left.consumedPoints <= 0) await this.local.delete(subject);
    } catch {
      // Redis went away since the slot was taken: the lease frees it.
    }
  }

  private pause(subject: string, ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.waiting.get(subject) ?? new Set<() => void>();
      this.waiting.set(subject, waiters);
      let forgetAbort = (): void => undefined;
      const wake = (): void => {
        clearTimeout(timer);
        forgetAbort();
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiting.get(subject) === waiters) this.waiting.delete(subject);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      forgetAbort = onAbort(signal, wake);
      waiters.add(wake);
    });
  }

  private wake(subject: string): void {
    for (const wake of [...(this.waiting.get(subject) ?? [])]) wake();
  }
}

async function attempt(store: RateLimiterAbstract, subject: string): Promise<Attempt> {
  try {
    await store.consume(subject);
    return 'taken';
  } catch (outcome) {
    return outcome instanceof RateLimiterRes ? 'full' : 'unreachable';
  }
}
