import { EventEmitter } from 'node:events';
import type { LiveBus, LiveStore } from './hub';

/** One replica: publications go to this process's watchers, the last values stay in its memory. */
export function memoryBus(): LiveBus {
  const emitter = new EventEmitter();
  // Each watched key listens on a channel of its own: no cap on how many keys are live.
  emitter.setMaxListeners(0);
  return {
    publish: async (channel, message) => void emitter.emit(channel, message),
    subscribe: async (channel, listener) => {
      emitter.on(channel, listener);
      return async () => void emitter.off(channel, listener);
    },
    close: () => void emitter.removeAllListeners(),
  };
}

export function memoryStore(): LiveStore {
  const values = new Map<string, { value: string; until: number }>();
  return {
    get: async (key) => {
      const entry = values.get(key);
      if (!entry || entry.until < Date.now()) return null;
      return entry.value;
    },
    set: async (key, value, ttlMs) => void values.set(key, { value, until: Date.now() + ttlMs }),
  };
}
