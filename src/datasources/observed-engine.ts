import { errorCode } from '../observability/labels';
import { forwardingEngine } from './forwarding';
import type { StreamFacts } from './streams';
import { isDetached, isResumable, type Detached, type Engine, type QueryResult, type ResumableEngine, type Row } from './types';

/** How one engine call ended: `ok`, `running` (a long query's wait ended first) or the error code. */
export interface EngineQueryObservation {
  readonly engine: string;
  readonly outcome: string;
  readonly seconds: number;
  /** Null when the engine does not report it, or the call did not complete. */
  readonly bytesScanned: number | null;
}

export type EngineQueryObserver = (observation: EngineQueryObservation) => void;

/**
 * `engine` reporting every query it runs to `observe` (metrics), without forking its adapter.
 * Placed inside the result cache, it sees real engine queries only. Each wait of a long query is
 * reported — `executeDetachable` and every `resume` — as `running` when the query outlived it.
 */
export function observedEngine(engine: Engine, observe: EngineQueryObserver): Engine {
  const timed = async <R>(call: () => Promise<R>): Promise<R> => {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1_000;
    try {
      const outcome = await call();
      const stats = isDetached(outcome as QueryResult | Detached) ? null : (outcome as QueryResult).stats;
      observe({ engine: engine.name, outcome: stats ? 'ok' : 'running', seconds: seconds(), bytesScanned: stats?.bytesScanned ?? null });
      return outcome;
    } catch (error) {
      observe({ engine: engine.name, outcome: errorCode(error), seconds: seconds(), bytesScanned: null });
      throw error;
    }
  };
  const forwarded = forwardingEngine(engine, (inner, query, options) => timed(() => inner.execute(query, options)), {
    executeDetachable: (inner, query, options) => timed(() => inner.executeDetachable(query, options)),
    page: (call) => timed(call),
    stream: (inner, query, options) => observedStream(inner.name, observe, (onFacts) => inner.stream(query, { ...options, onFacts }), options?.onFacts),
  });
  if (!isResumable(forwarded)) return forwarded;
  const resumable: ResumableEngine = { ...forwarded, resume: (queryId, options) => timed(() => forwarded.resume(queryId, options)) };
  return resumable;
}

/**
 * A stream reported once it ends: `ok` when read to the end, the error code when it failed, and
 * `QUERY_CANCELLED` when the reader broke off (an export whose client left).
 */
function observedStream(engine: string, observe: EngineQueryObserver, open: (onFacts: (facts: StreamFacts) => void) => AsyncIterable<readonly Row[]>, told?: (facts: StreamFacts) => void): AsyncIterable<readonly Row[]> {
  return {
    async* [Symbol.asyncIterator]() {
      const started = performance.now();
      let outcome = 'QUERY_CANCELLED';
      let bytesScanned: number | null = null;
      const onFacts = (facts: StreamFacts): void => {
        bytesScanned = facts.bytesScanned;
        told?.(facts);
      };
      try {
        for await (const batch of open(onFacts)) yield batch;
        outcome = 'ok';
      } catch (error) {
        outcome = errorCode(error);
        throw error;
      } finally {
        observe({ engine, outcome, seconds: (performance.now() - started) / 1_000, bytesScanned });
      }
    },
  };
}
