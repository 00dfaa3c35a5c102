import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { connectFailFastRedis } from './fail-fast-redis';
import type { ConfigFile } from '../config/schema';
import { BytesBudget } from '../limits/bytes-budget';
import { CallerSlots } from '../limits/caller-slots';
import { RequestRate } from '../limits/request-rate';
import type { CallerGuards } from '../planner/guards';

/** Where per-caller counts are kept, as /readyz reports it (only when a Redis URL is configured). */
export type CounterStoreState = 'connected' | 'unreachable';

export interface RunningGuards {
  /** Requests per caller per window; null when unlimited (`limits.requestsPerWindow: 0`). */
  readonly requestRate: RequestRate | null;
  /** Per-caller limits on engine queries, for every request's planner context. */
  readonly callerGuards: CallerGuards;
  /** Null without a Redis URL (counted in memory, per replica). */
  state(): CounterStoreState | null;
  /** Closes the Redis connections. */
  close(): Promise<void>;
}

/**
 * Wires the per-caller limits — requests per window, engine queries at once, Athena bytes per
 * UTC day — in the result cache's Redis (`cache.redis.url`, or the variable `cache.redis.urlEnv`
 * names, which wins) under `limits.redisKeyPrefix`, so replicas share them; in this replica's
 * memory without one, and whenever Redis cannot be reached: a Redis outage loosens the limits to
 * per replica and never fails a request. The slots counter gets a connection of its own, because
 * a Redis limiter installs its counting script on the connection it is given.
 */
export async function startGuards(config: ConfigFile, env: NodeJS.ProcessEnv, logger: Logger): Promise<RunningGuards> {
  const { limits, budgets } = config;
  const guardLogger = logger.child({ component: 'limits' });
  const url = env[config.cache.redis.urlEnv] || config.cache.redis.url;
  const counts = limits.requestsPerWindow > 0 || budgets.athenaBytesPerDay !== undefined;
  const [counters, slotsConnection] = await Promise.all([
    url && counts ? connectRedis(url, guardLogger) : null,
    url && limits.concurrentQueriesPerCaller > 0 ? connectRedis(url, guardLogger) : null,
  ]);
  const connections = [counters, slotsConnection].filter((redis): redis is Redis => redis !== null);
  const prefix = limits.redisKeyPrefix;
  // The URL is not logged: it may carry a password.
  guardLogger.info({ ...(connections.length > 0 ? { keyPrefix: prefix } : {}) }, connections.length > 0
    ? 'per-caller limits counted in Redis, shared by the replicas'
    : 'per-caller limits counted in memory, per replica (set cache.redis.url, or its environment variable, to share them)');
  const requestRate = limits.requestsPerWindow > 0
    ? new RequestRate(counters, { requests: limits.requestsPerWindow, windowMs: limits.window, keyPrefix: `${prefix}requests` })
    : null;
  const slots = limits.concurrentQueriesPerCaller > 0
    ? new CallerSlots(slotsConnection, {
      perCaller: limits.concurrentQueriesPerCaller,
      // Longer than a slot is ever held: the queue wait and the query's own time limit, twice over.
      leaseMs: 2 * (limits.queryTimeoutMs + limits.maxQueueMs),
      keyPrefix: `${prefix}running`,
    })
    : null;
  const budget = budgets.athenaBytesPerDay === undefined ? null : new BytesBudget(counters, { bytesPerDay: budgets.athenaBytesPerDay, keyPrefix: `${prefix}bytes` });
  return {
    requestRate,
    callerGuards: { slots, budget },
    state: () => {
      if (connections.length === 0) return null;
      return connections.every((redis) => redis.status === 'ready') ? 'connected' : 'unreachable';
    },
    close: async () => connections.forEach((redis) => redis.disconnect()),
  };
}

function connectRedis(url: string, logger: Logger): Promise<Redis> {
  return connectFailFastRedis(url, logger, { unreachable: 'per-caller limits (Redis) unreachable: counting in memory, per replica, retrying in the background', reachable: 'per-caller limits (Redis) reachable again' });
}
