import type { EngineErrorCode } from '../errors';
import type { ExecuteOptions } from '../types';

export interface StopReason {
  readonly code: Extract<EngineErrorCode, 'QUERY_CANCELLED' | 'QUERY_TIMEOUT' | 'ENGINE_UNAVAILABLE'>;
  readonly message: string;
}

/**
 * Why one query must stop, if it must: the caller's abort, the deadline or the engine's shutdown,
 * whichever comes first. `tripped` resolves with that reason (and never otherwise), so it can be
 * raced against the connection and the query.
 */
export class QueryStop {
  private reason: StopReason | null = null;
  private resolve!: (reason: StopReason) => void;
  readonly tripped = new Promise<StopReason>((resolve) => {
    this.resolve = resolve;
  });
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly detach: () => void;

  constructor(options: ExecuteOptions, shutdown: AbortSignal, engine: string) {
    const onAbort = (): void => this.trip({ code: 'QUERY_CANCELLED', message: 'the query was cancelled' });
    const onShutdown = (): void => this.trip({ code: 'ENGINE_UNAVAILABLE', message: `the ${engine} engine is shutting down` });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    shutdown.addEventListener('abort', onShutdown, { once: true });
    const left = options.deadline === undefined ? undefined : options.deadline - Date.now();
    this.timer = left === undefined || left > 2 ** 31 - 1
      ? undefined
      : setTimeout(() => this.trip({ code: 'QUERY_TIMEOUT', message: 'the query exceeded its time limit' }), Math.max(0, left));
    this.detach = () => {
      options.signal?.removeEventListener('abort', onAbort);
      shutdown.removeEventListener('abort', onShutdown);
    };
  }

  get stopReason(): StopReason | null {
    return this.reason;
  }

  private trip(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.resolve(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.detach();
  }
}
