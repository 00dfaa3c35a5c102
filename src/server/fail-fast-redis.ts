import Redis from 'ioredis';
import type { Logger } from 'pino';

/** How long start-up waits for Redis before its user falls back to memory (until Redis answers). */
const CONNECT_WAIT_MS = 2_000;
/** A Redis call slower than this is given up: what Redis serves here (cache, counters) must never slow a request down much. */
const COMMAND_TIMEOUT_MS = 500;

/** What the log says when Redis goes away and when it comes back, naming its user. */
export interface RedisOutageMessages {
  readonly unreachable: string;
  readonly reachable: string;
}

/**
 * A Redis connection whose commands fail at once while disconnected (no offline queue), so its
 * user degrades to memory instead of a request hanging; an outage is logged once, and its end.
 * Start-up goes on when Redis is down: ioredis keeps reconnecting in the background.
 */
export async function connectFailFastRedis(url: string, logger: Logger, messages: RedisOutageMessages): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_WAIT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    lazyConnect: true,
  });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) logger.warn({ err: error.message }, messages.unreachable);
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) logger.info(messages.reachable);
    reported = false;
  });
  await redis.connect().catch(() => undefined);
  return redis;
}
