import { EngineError } from '../../src/datasources/errors';
import { forwardingEngine } from '../../src/datasources/forwarding';
import type { Engine } from '../../src/datasources/types';

/** One engine stream as a watcher saw it: batches handed on, and how it ended (null while open). */
export interface WatchedStream {
  readonly engine: string;
  batches: number;
  ended: 'complete' | 'broken off' | null;
}

/** Every engine stream of an app (a `decorateEngine`), seen under the queue and cache; `delayMs` slows each batch, to leave time to cut one short. */
export class StreamWatch {
  readonly streams: WatchedStream[] = [];
  delayMs = 0;
  /** When set, a stream fails (QUERY_FAILED) after handing on this many batches: an engine failing mid-export. */
  failAfter: number | null = null;

  readonly decorate = (engine: Engine): Engine => forwardingEngine(engine, (inner, query, options) => inner.execute(query, options), { stream: (inner, query, options) => {
    const streams = this.streams;
    const delayMs = (): number => this.delayMs;
    const failAfter = (): number | null => this.failAfter;
    return {
      async* [Symbol.asyncIterator]() {
        const seen: WatchedStream = { engine: inner.name, batches: 0, ended: null };
        streams.push(seen);
        let complete = false;
        try {
          for await (const batch of inner.stream(query, options)) {
            if (seen.batches === failAfter()) throw new EngineError('QUERY_FAILED', 'the engine failed mid-result', inner.name);
            seen.batches += 1;
            if (delayMs()) await new Promise((resolve) => setTimeout(resolve, delayMs()));
            yield batch;
          }
          complete = true;
        } finally {
          seen.ended = complete ? 'complete' : 'broken off';
        }
      },
    };
  } });

  /** Waits (up to 5 s) until the stream at `index` has ended. */
  async ended(index: number): Promise<WatchedStream> {
    for (let wait = 0; !this.streams[index]?.ended && wait < 250; wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const stream = this.streams[index];
    if (!stream?.ended) throw new Error(`stream ${index} has not ended`);
    return stream;
  }
}
