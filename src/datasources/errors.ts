/**
 * Engine failures as the rest of the road sees them, whatever the engine. Besides the engine's
 * own: ENGINE_BUSY, a query the engine's queue refused after it waited too long (it never reached
 * the engine), and NOT_CACHED, a call that may start no engine query found no answer to serve.
 */
export type EngineErrorCode = 'QUERY_TIMEOUT' | 'QUERY_FAILED' | 'ENGINE_UNAVAILABLE' | 'QUERY_CANCELLED' | 'ENGINE_BUSY' | 'NOT_CACHED';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly engine: string,
    readonly queryId: string | null = null,
    /** When trying again makes sense (ENGINE_BUSY); null: no advice. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
