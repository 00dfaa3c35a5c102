import { EngineError } from '../errors';
import { forwardingEngine } from '../forwarding';
import type { Engine } from '../types';
import { FifoGate, type Passage } from './fifo-gate';

export interface EngineQueueSettings {
  /** Engine queries running at once through this engine (on this replica); the rest wait. */
  readonly maxConcurrentQueries: number;
  /** How long a query may wait for its turn before it is refused (ENGINE_BUSY) without reaching the engine. */
  readonly maxQueueMs: number;
}

/**
 * `engine` behind a bounded FIFO queue: a burst waits a little instead of thrashing the engine.
 * Only calls that start an engine query or read its pages (`execute`, `executeDetachable`,
 * `executePage`, `fetchPage`) take a place, for as
 * long as the call lasts; resume, stop and probe continue queries already started, so they pass
 * straight through. A caller that goes away while waiting leaves the line (QUERY_CANCELLED).
 * A stream (an export) takes its place before its first batch and keeps it until the stream ends
 * (read to the end, broken off or failed): it runs on the engine all that time.
 * Put it inside the result cache, so a cached answer never waits here.
 */
export function queueingEngine(engine: Engine, settings: EngineQueueSettings): Engine {
  const gate = new FifoGate(settings.maxConcurrentQueries, settings.maxQueueMs);
  const admitted = async (signal: AbortSignal | undefined): Promise<() => void> => {
    const passage = await gate.enter(signal);
    if (!passage.admitted) throw refusal(engine.name, passage, settings);
    return passage.release;
  };
  const queued = async <T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> => {
    const release = await admitted(signal);
    try {
      return await call();
    } finally {
      release();
    }
  };
  return forwardingEngine(engine, (inner, query, options) => queued(options?.signal, () => inner.execute(query, options)), {
    executeDetachable: (inner, query, options) => queued(options.signal, () => inner.executeDetachable(query, options)),
    // A page call reads (or runs) on the engine too: it takes a place like any query.
    page: (call, options) => queued(options.signal, call),
    stream: (inner, query, options) => ({
      async* [Symbol.asyncIterator]() {
        const release = await admitted(options?.signal);
        try {
          yield* inner.stream(query, options);
        } finally {
          release();
        }
      },
    }),
  });
}

function refusal(engine: string, passage: Extract<Passage, { admitted: false }>, settings: EngineQueueSettings): EngineError {
  if (passage.reason === 'aborted') return new EngineError('QUERY_CANCELLED', 'the query was cancelled while waiting for its turn', engine);
  const waited = (passage.waitedMs / 1000).toFixed(1);
  const message = `the ${engine} engine is busy: the query waited ${waited} s (limits.maxQueueMs) behind the ${settings.maxConcurrentQueries} running at once on this server (limits.maxConcurrentQueries) and was not started`;
  return new EngineError('ENGINE_BUSY', message, engine, null, Math.max(1_000, settings.maxQueueMs));
}
