import type { EngineErrorCode } from '../errors';
import type { ExecuteOptions } from '../types';
import { onAbort } from './abort';

export interface StopReason {
  readonly code: Extract<EngineErrorCode, 'QUERY_CANCELLED' | 'QUERY_TIMEOUT' | 'ENGINE_UNAVAILABLE'>;
  readonly message: string;
}

/** Longest delay `setTimeout` takes; a deadline further out than this never fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Why one query must stop, if it must: the caller's abort, the deadline or the engine's shutdown,
 * whichever comes first. The reason is remembered, `signal` aborts with it (to hand to calls and
 * sleeps), and `tripped` resolves with it (and never otherwise), to race against a promise.
 */
export class QueryStop {
  private reason: StopReason | null = null;
  /** Made when `signal` is first asked for: most queries never hand it on (an AbortController is not cheap). */
  private controller: AbortController | null = null;
  private resolve!: (reason: StopReason) => void;
  readonly tripped = new Promise<StopReason>((resolve) => {
    this.resolve = resolve;
  });
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly detach: () => void;

  /** `engine` names the engine in the shutdown message (`the Athena engine is shutting down`). */
  constructor(options: ExecuteOptions, shutdown: AbortSignal, engine: string) {
    // Both signals are shared (by a request's queries, by all of the engine's): one listener each, whatever the number of queries.
    const forgetAbort = options.signal ? onAbort(options.signal, () => this.trip({ code: 'QUERY_CANCELLED', message: 'the query was cancelled' })) : undefined;
    const forgetShutdown = onAbort(shutdown, () => this.trip({ code: 'ENGINE_UNAVAILABLE', message: `the ${engine} engine is shutting down` }));
    const left = options.deadline === undefined ? undefined : options.deadline - Date.now();
    this.timer = left === undefined || left > MAX_TIMER_MS
      ? undefined
      : setTimeout(() => this.trip({ code: 'QUERY_TIMEOUT', message: 'the query exceeded its time limit' }), Math.max(0, left));
    this.detach = () => {
      forgetAbort?.();
      forgetShutdown();
    };
  }

  /** Aborts with the stop reason (at once when the query has already stopped). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  get stopReason(): StopReason | null {
    return this.reason;
  }

  private trip(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
    this.resolve(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.detach();
  }
}
