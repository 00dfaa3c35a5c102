import { forwardingEngine } from '../forwarding';
import type { Engine } from '../types';
import type { ResultCache } from './result-cache';

/**
 * `engine` behind the result cache, without forking its adapter: `execute` (and a resumable
 * engine's `executeDetachable`) go through the cache; resume, stop and probe continue engine
 * queries already started, so they pass straight through, and a resumable engine stays resumable.
 */
export function cachingEngine(engine: Engine, cache: ResultCache): Engine {
  return forwardingEngine(
    engine,
    (inner, query, options) => cache.execute(inner, query, options),
    (inner, query, options) => cache.executeDetachable(inner, query, options),
  );
}
