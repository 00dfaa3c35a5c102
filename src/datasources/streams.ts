import type { CompiledQuery } from '../sql/types';
import type { Engine, Row } from './types';

/** What an engine learns of a streamed query once it has started it, for stats and the audit. */
export interface StreamFacts {
  readonly queryId: string;
  /** Bytes the engine scanned, where it reports them (Athena); null otherwise. */
  readonly bytesScanned: number | null;
}

export interface StreamOptions {
  /**
   * Aborting stops the engine query (or its paging) and ends the stream with QUERY_CANCELLED. No
   * deadline: a stream lasts as long as its reader reads; a caller that wants one aborts.
   */
  readonly signal?: AbortSignal;
  /** Told once the engine query has started (its id) or finished scanning (its bytes). */
  readonly onFacts?: (facts: StreamFacts) => void;
}

/**
 * An engine that hands a result on in batches as the reader asks for them: the next batch is read
 * from the engine only once the previous one was taken, so memory stays bounded whatever the
 * result's size. Breaking out of the iteration (or aborting) stops the engine query and releases
 * its connection. Never cached.
 */
export interface StreamingEngine extends Engine {
  stream(query: CompiledQuery, options?: StreamOptions): AsyncIterable<readonly Row[]>;
}

/** True when `engine` says it streams (`capabilities.streams`) and really has the method (a wrapper may copy flags only). */
export function isStreaming(engine: Engine): engine is StreamingEngine {
  return engine.capabilities.streams === true && typeof (engine as Partial<StreamingEngine>).stream === 'function';
}
