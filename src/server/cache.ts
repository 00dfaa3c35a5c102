import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { connectFailFastRedis } from './fail-fast-redis';
import type { CacheConfig } from '../config/schema';
import { cachingEngine, uncachedEngine } from '../datasources/cache/caching-engine';
import { RedisTier } from '../datasources/cache/redis-tier';
import { ResultCache } from '../datasources/cache/result-cache';
import type { CacheTierState } from '../datasources/cache/types';
import type { Engine } from '../datasources/types';
import { localRefreshLock, type RefreshLock } from '../planner/kpis/refresh';
import { redisRefreshLock } from '../planner/kpis/refresh-lock';

export interface RunningResultCache {
  /** `engine` with its cacheable calls answered by the cache. */
  decorate(engine: Engine): Engine;
  /** Reported by /readyz; requests are served from memory (or the engine) while Redis is unreachable. */
  state(): CacheTierState | 'off';
  /** Lets one replica refresh a KPI series per interval: in Redis when shared, else this replica's own. */
  readonly refreshLock: RefreshLock;
  /** The Redis the replicas share (with its key prefix), for the other shared pieces (live KPIs); null: memory only. */
  readonly shared: { readonly redis: Redis; readonly keyPrefix: string } | null;
  /** Closes the Redis connection. */
  close(): Promise<void>;
}

/**
 * Wires the result cache: this replica's memory, in front of Redis — shared by every replica,
 * for answers and the lock that keeps identical misses to one engine query across replicas —
 * when `cache.redis.url` or the environment variable it names is set (the variable wins).
 * Redis being down never stops the server or fails a request: the memory tier serves.
 */
export async function startResultCache(config: CacheConfig, env: NodeJS.ProcessEnv, logger: Logger): Promise<RunningResultCache> {
  const cacheLogger = logger.child({ component: 'result-cache' });
  if (!config.enabled) {
    cacheLogger.warn('result cache disabled (cache.enabled: false): every query, KPIs included, reaches its engine');
    return { decorate: uncachedEngine, state: () => 'off', refreshLock: localRefreshLock, shared: null, close: async () => undefined };
  }
  const url = env[config.redis.urlEnv] || config.redis.url;
  const redis = url ? await connectRedis(url, cacheLogger) : null;
  const shared = redis ? new RedisTier(redis, { keyPrefix: config.redis.keyPrefix, maxEntryBytes: config.redis.maxEntryBytes, logger: cacheLogger }) : null;
  // The URL is not logged: it may carry a password.
  cacheLogger.info({ maxBytes: config.maxBytes, ...(redis ? { keyPrefix: config.redis.keyPrefix } : {}) }, redis
    ? 'result cache: memory on each replica, and Redis shared by the replicas'
    : 'result cache: memory only (fine for one replica; set cache.redis.url, or its environment variable, to share answers between replicas)');
  const cache = new ResultCache({
    settings: { maxBytes: config.maxBytes, staleWhileRevalidateMs: config.staleWhileRevalidate, lockWaitMs: config.lockWait },
    shared,
    logger: cacheLogger,
  });
  return {
    decorate: (engine) => cachingEngine(engine, cache),
    state: () => cache.state(),
    refreshLock: redis ? redisRefreshLock(redis, config.redis.keyPrefix) : localRefreshLock,
    shared: redis ? { redis, keyPrefix: config.redis.keyPrefix } : null,
    close: async () => redis?.disconnect(),
  };
}

function connectRedis(url: string, logger: Logger): Promise<Redis> {
  return connectFailFastRedis(url, logger, { unreachable: 'result cache (Redis) unreachable: serving from memory, retrying in the background', reachable: 'result cache (Redis) reachable again' });
}
