import { isPaged, type PagedEngine, type PageOptions } from './pages';
import { isStreaming, type StreamingEngine } from './streams';
import { isResumable, type Engine, type ResumableEngine } from './types';

/** How a forwarding engine runs a query; gets the original to call. */
export type ForwardExecute = (inner: Engine, ...args: Parameters<Engine['execute']>) => ReturnType<Engine['execute']>;

/** How a forwarding engine runs a detachable query; gets the original to call. */
export type ForwardDetachable = (inner: ResumableEngine, ...args: Parameters<ResumableEngine['executeDetachable']>) => ReturnType<ResumableEngine['executeDetachable']>;

/** How a forwarding engine runs a page call (`executePage` or `fetchPage`): around the original call. */
export type ForwardPage = <T>(call: () => Promise<T>, options: PageOptions) => Promise<T>;

/** How a forwarding engine streams a query; gets the original to call. */
export type ForwardStream = (inner: StreamingEngine, ...args: Parameters<StreamingEngine['stream']>) => ReturnType<StreamingEngine['stream']>;

/** The calls a forwarding engine wraps besides `execute`; each one left out passes straight through. */
export interface ForwardOthers {
  readonly executeDetachable?: ForwardDetachable;
  readonly page?: ForwardPage;
  readonly stream?: ForwardStream;
}

/**
 * An engine that forwards everything to `engine` but runs queries through `execute`, which
 * gets the original to call. The way to add caching, retries or instrumentation to any engine
 * without forking its adapter. It keeps the engine's kinds, each of their calls passing straight
 * through unless `others` wraps it: a resumable engine's resume/stop/probe (they continue engine
 * queries already started) and `executeDetachable` (a cache answers those too); a paged engine's
 * page calls (a queue, metrics) — never through `execute`, so a page is never a cached answer;
 * a streaming engine's `stream`.
 */
export function forwardingEngine(engine: Engine, execute: ForwardExecute, others: ForwardOthers = {}): Engine {
  const base: Engine = {
    name: engine.name,
    dialect: engine.dialect,
    capabilities: engine.capabilities,
    execute: (query, options) => execute(engine, query, options),
    health: () => engine.health(),
    close: () => engine.close(),
  };
  const streaming = isStreaming(engine) ? forwardStreaming(engine, base, others.stream) : base;
  const resumable = isResumable(engine) ? forwardResumable(engine, streaming, others.executeDetachable) : streaming;
  return isPaged(engine) ? forwardPaged(engine, resumable, others.page ?? ((call) => call())) : resumable;
}

function forwardStreaming(engine: StreamingEngine, forwarded: Engine, stream: ForwardStream | undefined): StreamingEngine {
  return { ...forwarded, stream: stream ? (query, options) => stream(engine, query, options) : (query, options) => engine.stream(query, options) };
}

function forwardResumable(engine: ResumableEngine, forwarded: Engine, executeDetachable: ForwardDetachable | undefined): ResumableEngine {
  return {
    ...forwarded,
    executeDetachable: executeDetachable
      ? (query, options) => executeDetachable(engine, query, options)
      : (query, options) => engine.executeDetachable(query, options),
    resume: (queryId, options) => engine.resume(queryId, options),
    stopQuery: (queryId) => engine.stopQuery(queryId),
    probe: (queryId) => engine.probe(queryId),
  };
}

function forwardPaged(engine: PagedEngine, forwarded: Engine, page: ForwardPage): PagedEngine {
  return {
    ...forwarded,
    executePage: (query, options) => page(() => engine.executePage(query, options), options),
    fetchPage: (queryId, position, options) => page(() => engine.fetchPage(queryId, position, options), options),
  };
}
