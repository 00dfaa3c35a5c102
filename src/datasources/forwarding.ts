import { isPaged, type PagedEngine, type PageOptions } from './pages';
import { isResumable, type Engine, type ResumableEngine } from './types';

/** How a forwarding engine runs a detachable query; gets the original to call. */
export type ForwardDetachable = (inner: ResumableEngine, ...args: Parameters<ResumableEngine['executeDetachable']>) => ReturnType<ResumableEngine['executeDetachable']>;

/** How a forwarding engine runs a page call (`executePage` or `fetchPage`): around the original call. */
export type ForwardPage = <T>(call: () => Promise<T>, options: PageOptions) => Promise<T>;

/**
 * An engine that forwards everything to `engine` but runs queries through `execute`, which
 * gets the original to call. The way to add caching, retries or instrumentation to any engine
 * without forking its adapter. A resumable engine stays resumable: its resume/stop/probe calls
 * pass straight through (they continue engine queries already started), and so does
 * `executeDetachable` unless `executeDetachable` is given (a cache answers those too). A paged
 * engine stays paged: its page calls run through `page` when given (a queue, metrics), else
 * straight through — never through `execute`, so a page is never a cached answer.
 */
export function forwardingEngine(
  engine: Engine,
  execute: (inner: Engine, ...args: Parameters<Engine['execute']>) => ReturnType<Engine['execute']>,
  executeDetachable?: ForwardDetachable,
  page?: ForwardPage,
): Engine {
  const resumable = forwardResumable(engine, execute, executeDetachable);
  return isPaged(engine) ? forwardPaged(engine, resumable, page ?? ((call) => call())) : resumable;
}

function forwardResumable(
  engine: Engine,
  execute: (inner: Engine, ...args: Parameters<Engine['execute']>) => ReturnType<Engine['execute']>,
  executeDetachable?: ForwardDetachable,
): Engine {
  const forwarded: Engine = {
    name: engine.name,
    dialect: engine.dialect,
    capabilities: engine.capabilities,
    execute: (query, options) => execute(engine, query, options),
    health: () => engine.health(),
    close: () => engine.close(),
  };
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

function forwardPaged(engine: PagedEngine, forwarded: Engine, page: ForwardPage): PagedEngine {
  return {
    ...forwarded,
    executePage: (query, options) => page(() => engine.executePage(query, options), options),
    fetchPage: (queryId, position, options) => page(() => engine.fetchPage(queryId, position, options), options),
  };
}
