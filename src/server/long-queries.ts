import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { LongQueriesConfig } from '../config/schema';
import { isResumable, type Engine } from '../datasources/types';
import { MemoryRunningQueryStore } from '../planner/long-queries/memory-store';
import { RedisRunningQueryStore } from '../planner/long-queries/redis-store';
import type { LongQueries } from '../planner/long-queries/run';
import { startSweeper } from '../planner/long-queries/sweeper';
import type { RunningQueryStore } from '../planner/long-queries/types';

/** Where running queries are kept, as /readyz reports it. */
export type LongQueryStoreState = 'memory' | 'connected' | 'unreachable';

export interface RunningLongQueries {
  readonly longQueries: LongQueries;
  /** Reported by /readyz; requests degrade (wait within themselves) while Redis is unreachable. */
  storeState(): LongQueryStoreState;
  /** Ends the sweeps and closes the Redis connection; engine queries keep running for other replicas. */
  close(): Promise<void>;
}

/** How long start-up waits for Redis before serving without it (requests then wait within themselves). */
const CONNECT_WAIT_MS = 3_000;

/**
 * Wires long-running queries when configured: the store of running queries — Redis, shared by
 * every replica, when a URL is given; this process's memory otherwise (one replica) — and this
 * replica's sweeper. Redis being down never stops the server: a request that cannot reach the
 * store waits for its query within its own time limit, as without long queries.
 */
export async function startLongQueries(config: LongQueriesConfig | undefined, env: NodeJS.ProcessEnv, engines: ReadonlyMap<string, Engine>, logger: Logger): Promise<RunningLongQueries | null> {
  if (!config) return null;
  const storeLogger = logger.child({ component: 'long-queries' });
  if (![...engines.values()].some(isResumable)) storeLogger.warn('longQueries is configured but no engine can run queries past a request (Athena, Redshift Data API)');
  const url = env[config.redis.urlEnv] || config.redis.url;
  const backing = url ? await connectRedis(url, config.redis.keyPrefix, storeLogger) : memoryStore(storeLogger);
  const sweeper = startSweeper({ store: backing.store, engines, intervalMs: config.sweepIntervalMs, logger: storeLogger });
  return {
    longQueries: { store: backing.store, settings: { waitMs: config.waitMs, graceMs: config.graceMs }, logger: storeLogger },
    storeState: backing.state,
    close: async () => {
      await sweeper.stop();
      backing.close();
    },
  };
}

interface Backing {
  readonly store: RunningQueryStore;
  state(): LongQueryStoreState;
  close(): void;
}

function memoryStore(logger: Logger): Backing {
  logger.info('long queries are kept in memory: fine for one replica; set longQueries.redis.url (or its environment variable) for several');
  return { store: new MemoryRunningQueryStore(), state: () => 'memory', close: () => undefined };
}

async function connectRedis(url: string, keyPrefix: string, logger: Logger): Promise<Backing> {
  // Commands fail at once while disconnected (no offline queue), so a request degrades instead of hanging.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: CONNECT_WAIT_MS, lazyConnect: true });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) logger.warn({ err: error.message }, 'long-query store (Redis) unreachable; retrying in the background');
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) logger.info('long-query store (Redis) reachable again');
    reported = false;
  });
  await redis.connect().catch(() => undefined);
  return {
    store: new RedisRunningQueryStore(redis, { prefix: keyPrefix }),
    state: () => (redis.status === 'ready' ? 'connected' : 'unreachable'),
    close: () => redis.disconnect(),
  };
}
