import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { LongQueriesConfig } from '../config/schema';
import { isResumable, type Engine } from '../datasources/types';
import type { LongQueries } from '../planner/long-queries/run';
import { RunningQueryStore } from '../planner/long-queries/store';
import { startSweeper } from '../planner/long-queries/sweeper';
import { StartupError } from './startup-error';

export interface RunningLongQueries {
  readonly longQueries: LongQueries;
  /** True while the Redis connection is up (reported by /readyz; requests degrade without it). */
  connected(): boolean;
  /** Ends the sweeps and closes the Redis connection; engine queries keep running for other replicas. */
  close(): Promise<void>;
}

/** How long start-up waits for Redis before serving without it (requests then wait within themselves). */
const CONNECT_WAIT_MS = 3_000;

/**
 * Wires long-running queries when configured: the Redis store every replica shares, and this
 * replica's sweeper. Redis being down never stops the server: a request that cannot reach the
 * store waits for its query within its own time limit, as without long queries.
 */
export async function startLongQueries(config: LongQueriesConfig | undefined, env: NodeJS.ProcessEnv, engines: ReadonlyMap<string, Engine>, logger: Logger): Promise<RunningLongQueries | null> {
  if (!config) return null;
  const url = env[config.redis.urlEnv] || config.redis.url;
  if (!url) throw new StartupError(`longQueries needs Redis: set longQueries.redis.url or the ${config.redis.urlEnv} environment variable`);
  const storeLogger = logger.child({ component: 'long-queries' });
  if (![...engines.values()].some(isResumable)) storeLogger.warn('longQueries is configured but no engine can run queries past a request (Athena, Redshift Data API)');

  // Commands fail at once while disconnected (no offline queue), so a request degrades instead of hanging.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: CONNECT_WAIT_MS, lazyConnect: true });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) storeLogger.warn({ err: error.message }, 'long-query store (Redis) unreachable; retrying in the background');
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) storeLogger.info('long-query store (Redis) reachable again');
    reported = false;
  });
  await redis.connect().catch(() => undefined);

  const store = new RunningQueryStore(redis, { prefix: config.redis.keyPrefix });
  const sweeper = startSweeper({ store, engines, intervalMs: config.sweepIntervalMs, logger: storeLogger });
  return {
    longQueries: { store, settings: { waitMs: config.waitMs, graceMs: config.graceMs }, logger: storeLogger },
    connected: () => redis.status === 'ready',
    close: async () => {
      await sweeper.stop();
      redis.disconnect();
    },
  };
}
