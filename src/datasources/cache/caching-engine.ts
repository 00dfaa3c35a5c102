import { forwardingEngine } from '../forwarding';
import type { Engine } from '../types';
import { notCached, type ResultCache } from './result-cache';

/**
 * `engine` behind the result cache, without forking its adapter: `execute` (and a resumable
 * engine's `executeDetachable`) go through the cache; resume, stop and probe continue engine
 * queries already started, so they pass straight through, and a resumable engine stays resumable.
 */
export function cachingEngine(engine: Engine, cache: ResultCache): Engine {
  return forwardingEngine(engine, (inner, query, options) => cache.execute(inner, query, options), {
    executeDetachable: (inner, query, options) => cache.executeDetachable(inner, query, options),
  });
}

/**
 * `engine` with the result cache switched off: every call reaches the engine, except one that may
 * start no engine query (`cachedOnly`), which nothing can answer: refused at once (NOT_CACHED).
 */
export function uncachedEngine(engine: Engine): Engine {
  return forwardingEngine(engine, (inner, query, options) => (options?.cache?.cachedOnly ? Promise.reject(notCached(inner.name)) : inner.execute(query, options)), {
    executeDetachable: (inner, query, options) => (options.cache?.cachedOnly ? Promise.reject(notCached(inner.name)) : inner.executeDetachable(query, options)),
  });
}
