import { EngineError } from '../errors';

/**
 * How an Athena API failure reads to the rest of the road. The SDK has already retried what it
 * retries (throttling, 5xx, dropped connections) by the time an error gets here.
 */

export const ENGINE_NAME = 'athena';

/** Error names Athena or the AWS front door use for "slow down" (the SDK's list, narrowed to Athena). */
const THROTTLING_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded', 'ThrottledException']);

/** Socket-level failures the SDK surfaces (Node error codes). */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
}

export function isThrottling(error: unknown): boolean {
  const shape = error as SdkErrorShape | null;
  return !!shape && (THROTTLING_NAMES.has(shape.name ?? '') || shape.$metadata?.httpStatusCode === 429);
}

export function isAbortError(error: unknown): boolean {
  return (error as SdkErrorShape | null)?.name === 'AbortError';
}

/** Maps any failure of an Athena call to an EngineError (an EngineError passes through). */
export function toEngineError(error: unknown, queryId: string | null): EngineError {
  if (error instanceof EngineError) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const message = shape.message || String(error);
  const status = shape.$metadata?.httpStatusCode;
  if (isThrottling(error)) {
    return new EngineError('ENGINE_UNAVAILABLE', `Athena is throttling requests (${shape.name ?? status}): ${message}`, ENGINE_NAME, queryId);
  }
  if (NETWORK_CODES.has(shape.code ?? '') || status === undefined || status >= 500 || shape.$fault === 'server') {
    return new EngineError('ENGINE_UNAVAILABLE', `Athena is unreachable or failing: ${shape.name ? `${shape.name}: ` : ''}${message}`, ENGINE_NAME, queryId);
  }
  if (shape.name === 'AccessDeniedException' || shape.name === 'UnrecognizedClientException' || status === 403) {
    return new EngineError('ENGINE_UNAVAILABLE', `Athena refused the credentials: ${message}`, ENGINE_NAME, queryId);
  }
  // InvalidRequestException and other 4xx: the request (usually the SQL) is wrong.
  return new EngineError('QUERY_FAILED', `${shape.name ? `${shape.name}: ` : ''}${message}`, ENGINE_NAME, queryId);
}
