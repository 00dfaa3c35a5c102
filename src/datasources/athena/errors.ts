import { EngineError } from '../errors';
import { AWS_THROTTLING_NAMES, isUnreachable, namePrefix, throttlingTest, type SdkErrorShape } from '../shared/errors';

/**
 * How an Athena API failure reads to the rest of the road. The SDK has already retried what it
 * retries (throttling, 5xx, dropped connections) by the time an error gets here.
 */

export { isAbortError } from '../shared/errors';

export const ENGINE_NAME = 'athena';

/** "Slow down": the front door's throttling names (or HTTP 429). */
export const isThrottling = throttlingTest(AWS_THROTTLING_NAMES);

/** Maps any failure of an Athena call to an EngineError (an EngineError passes through). */
export function toEngineError(error: unknown, queryId: string | null): EngineError {
  if (error instanceof EngineError) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const message = shape.message || String(error);
  const status = shape.$metadata?.httpStatusCode;
  if (isThrottling(error)) {
    return new EngineError('ENGINE_UNAVAILABLE', `Athena is throttling requests (${shape.name ?? status}): ${message}`, ENGINE_NAME, queryId);
  }
  if (isUnreachable(shape)) {
    return new EngineError('ENGINE_UNAVAILABLE', `Athena is unreachable or failing: ${namePrefix(shape.name)}${message}`, ENGINE_NAME, queryId);
  }
  if (shape.name === 'AccessDeniedException' || shape.name === 'UnrecognizedClientException' || status === 403) {
    return new EngineError('ENGINE_UNAVAILABLE', `Athena refused the credentials: ${message}`, ENGINE_NAME, queryId);
  }
  // InvalidRequestException and other 4xx: the request (usually the SQL) is wrong.
  return new EngineError('QUERY_FAILED', `${namePrefix(shape.name)}${message}`, ENGINE_NAME, queryId);
}
