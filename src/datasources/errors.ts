/** Engine failures as the rest of the road sees them, whatever the engine. */
export type EngineErrorCode = 'QUERY_TIMEOUT' | 'QUERY_FAILED' | 'ENGINE_UNAVAILABLE' | 'QUERY_CANCELLED';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly engine: string,
    readonly queryId: string | null = null,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
