import type { StreamOptions } from '../streams';
import type { EngineLifecycle } from './lifecycle';

/**
 * A stream the engine's lifecycle knows of: refused like a query when it may not start (engine shut
 * down, signal aborted), and kept among the running queries until it ends, so `close()` waits for it.
 */
export function trackedStream<T>(lifecycle: EngineLifecycle, options: StreamOptions, open: () => AsyncGenerator<T>): AsyncIterable<T> {
  return {
    async* [Symbol.asyncIterator]() {
      lifecycle.admit(options);
      let ended = (): void => undefined;
      void lifecycle.track(new Promise<void>((resolve) => {
        ended = resolve;
      }));
      try {
        yield* open();
      } finally {
        ended();
      }
    },
  };
}
