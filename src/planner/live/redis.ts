import type Redis from 'ioredis';
import type { LiveBus, LiveStore } from './hub';

/**
 * Several replicas: publications travel by Redis pub/sub (on a connection of its own, as a
 * subscribing connection can do nothing else), the last values are Redis keys. A Redis that
 * cannot be reached loses publications, never a request: watchers keep what they had.
 */
export function redisBus(redis: Redis, prefix: string): LiveBus {
  // Subscribes wait for the connection (offline queue on) and are renewed after a reconnect.
  const subscriber = redis.duplicate({ enableOfflineQueue: true, lazyConnect: false });
  subscriber.on('error', () => undefined);
  const listeners = new Map<string, Set<(message: string) => void>>();
  subscriber.on('message', (channel: string, message: string) => {
    for (const listener of listeners.get(channel) ?? []) listener(message);
  });
  return {
    publish: async (channel, message) => {
      await redis.publish(prefix + channel, message).catch(() => undefined);
    },
    subscribe: async (channel, listener) => {
      const name = prefix + channel;
      const set = listeners.get(name) ?? new Set();
      if (set.size === 0) await subscriber.subscribe(name).catch(() => undefined);
      set.add(listener);
      listeners.set(name, set);
      return async () => {
        set.delete(listener);
        if (set.size > 0) return;
        listeners.delete(name);
        await subscriber.unsubscribe(name).catch(() => undefined);
      };
    },
    close: () => subscriber.disconnect(),
  };
}

export function redisStore(redis: Redis, prefix: string): LiveStore {
  return {
    get: (key) => redis.get(`${prefix}live-last:${key}`).catch(() => null),
    set: async (key, value, ttlMs) => {
      await redis.set(`${prefix}live-last:${key}`, value, 'PX', ttlMs).catch(() => undefined);
    },
  };
}
