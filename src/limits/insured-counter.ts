import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface CounterSettings {
  /** Namespace of the counter's keys (`<keyPrefix>:<key>`). */
  readonly keyPrefix: string;
  /** What the counter allows per duration. */
  readonly points: number;
  /** Seconds a key counts for, from its first point (rate-limiter-flexible's fixed window). */
  readonly durationSeconds: number;
}

/**
 * A rate-limiter-flexible counter in Redis, shared by every replica, insured by one in this
 * replica's memory: while Redis cannot be reached (not connected, or a command fails or times
 * out) the memory counter answers instead, so an outage loosens the limit to one per replica and
 * never fails a request. Without Redis, the memory counter alone.
 */
export function insuredCounter(redis: Redis | null, settings: CounterSettings): RateLimiterAbstract {
  const options = { keyPrefix: settings.keyPrefix, points: settings.points, duration: settings.durationSeconds };
  const memory = new RateLimiterMemory(options);
  if (!redis) return memory;
  return new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory });
}
