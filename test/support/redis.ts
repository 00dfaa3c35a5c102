import Redis from 'ioredis';

/** A Redis client for a test, or undefined when none answers at `url` (the test then reports itself skipped). */
export async function connectTestRedis(url: string): Promise<Redis | undefined> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1_000, retryStrategy: () => null });
  client.on('error', () => undefined);
  return client.connect().then(() => client, () => undefined);
}

/** Removes what a test wrote under its own key prefix. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
