import { EngineError } from '../errors';

/**
 * One result-page call of a stream, its failure as an EngineError: QUERY_CANCELLED when the
 * reader's signal aborted it, else QUERY_FAILED with the engine's message.
 */
export async function pagedCall<T>(engine: string, queryId: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal?.aborted) throw new EngineError('QUERY_CANCELLED', 'the query was cancelled', engine, queryId);
    throw new EngineError('QUERY_FAILED', `reading the result failed: ${(error as Error).message}`, engine, queryId);
  }
}
