import { errorCode } from '../observability/labels';
import { forwardingEngine } from './forwarding';
import { isDetached, isResumable, type Detached, type Engine, type QueryResult, type ResumableEngine } from './types';

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
  const forwarded = forwardingEngine(
    engine,
    (inner, query, options) => timed(() => inner.execute(query, options)),
    (inner, query, options) => timed(() => inner.executeDetachable(query, options)),
    (call) => timed(call),
  );
  if (!isResumable(forwarded)) return forwarded;
  const resumable: ResumableEngine = { ...forwarded, resume: (queryId, options) => timed(() => forwarded.resume(queryId, options)) };
  return resumable;
}
