import { isStreaming, type StreamingEngine } from './streams';
import { isResumable, type Engine, type ResumableEngine } from './types';

/** How a forwarding engine runs a detachable query; gets the original to call. */
export type ForwardDetachable = (inner: ResumableEngine, ...args: Parameters<ResumableEngine['executeDetachable']>) => ReturnType<ResumableEngine['executeDetachable']>;

/** How a forwarding engine streams a query; gets the original to call. */
export type ForwardStream = (inner: StreamingEngine, ...args: Parameters<StreamingEngine['stream']>) => ReturnType<StreamingEngine['stream']>;

/**
 * An engine that forwards everything to `engine` but runs queries through `execute`, which
 * gets the original to call. The way to add caching, retries or instrumentation to any engine
 * without forking its adapter. A resumable engine stays resumable: its resume/stop/probe calls
 * pass straight through (they continue engine queries already started), and so does
 * `executeDetachable` unless `executeDetachable` is given (a cache answers those too). A streaming
 * engine stays streaming: `stream` passes straight through unless `stream` is given.
 */
export function forwardingEngine(
  engine: Engine,
  execute: (inner: Engine, ...args: Parameters<Engine['execute']>) => ReturnType<Engine['execute']>,
  executeDetachable?: ForwardDetachable,
  stream?: ForwardStream,
): Engine {
  const base: Engine = {
    name: engine.name,
    dialect: engine.dialect,
    capabilities: engine.capabilities,
    execute: (query, options) => execute(engine, query, options),
    health: () => engine.health(),
    close: () => engine.close(),
  };
  const forwarded: Engine = isStreaming(engine)
    ? { ...base, stream: stream ? (query, options) => stream(engine, query, options) : (query, options) => engine.stream(query, options) } as StreamingEngine
    : base;
  if (!isResumable(engine)) return forwarded;
  const resumable: ResumableEngine = {
    ...forwarded,
    executeDetachable: executeDetachable
      ? (query, options) => executeDetachable(engine, query, options)
      : (query, options) => engine.executeDetachable(query, options),
    resume: (queryId, options) => engine.resume(queryId, options),
    stopQuery: (queryId) => engine.stopQuery(queryId),
    probe: (queryId) => engine.probe(queryId),
  };
  return resumable;
}
