import { randomUUID } from 'node:crypto';
import type { EngineErrorCode } from '../errors';
import type { ExecuteOptions } from '../types';

export interface StopReason {
  readonly code: Extract<EngineErrorCode, 'QUERY_CANCELLED' | 'QUERY_TIMEOUT' | 'ENGINE_UNAVAILABLE'>;
  readonly message: string;
}

/** Statement states after which the Data API does no more work. */
export const TERMINAL_STATES: ReadonlySet<string> = new Set(['FINISHED', 'FAILED', 'ABORTED']);

/**
 * One execute call: its idempotency token, its counters, and one signal that trips on the caller's
 * abort, the deadline or the engine's shutdown, remembering which came first.
 */
export class StatementRun {
  readonly token = randomUUID();
  readonly started = performance.now();
  statementId: string | null = null;
  lastStatus: string | undefined;
  polls = 0;
  pages = 0;
  throttled = 0;
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  private reason: StopReason | null = null;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly detach: () => void;

  constructor(options: ExecuteOptions, shutdown: AbortSignal) {
    const onAbort = (): void => this.trip({ code: 'QUERY_CANCELLED', message: 'the query was cancelled' });
    const onShutdown = (): void => this.trip({ code: 'ENGINE_UNAVAILABLE', message: 'the Redshift engine is shutting down' });
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

  /** True while the Data API may still be running the statement (submitted, no terminal state seen). */
  get mayBeRunning(): boolean {
    return this.statementId !== null && !TERMINAL_STATES.has(this.lastStatus ?? '');
  }

  private trip(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.detach();
  }
}
