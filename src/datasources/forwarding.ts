import type { Engine } from './types';

/**
 * An engine that forwards everything to `engine` but runs queries through `execute`, which
 * gets the original to call. The way to add caching, retries or instrumentation to any engine
 * without forking its adapter.
 */
export function forwardingEngine(engine: Engine, execute: (inner: Engine, ...args: Parameters<Engine['execute']>) => ReturnType<Engine['execute']>): Engine {
  return {
    name: engine.name,
    dialect: engine.dialect,
    capabilities: engine.capabilities,
    execute: (query, options) => execute(engine, query, options),
    health: () => engine.health(),
    close: () => engine.close(),
  };
}
