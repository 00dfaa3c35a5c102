import type Redis from 'ioredis';
import type { RefreshLock } from './refresh';

/**
 * The refresh lock shared by replicas: `SET key NX PX ttl` in Redis. While Redis cannot be
 * reached every replica refreshes on its own: warm caches matter more than a saved query.
 */
export function redisRefreshLock(redis: Redis, prefix: string): RefreshLock {
  return {
    acquire: async (key, ttlMs) => {
      try {
        return (await redis.set(`${prefix}refresh:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
      } catch {
        return true;
      }
    },
  };
}
