import { EngineError } from '../errors';
import { AWS_THROTTLING_NAMES, isUnreachable, namePrefix, throttlingTest, type SdkErrorShape } from '../shared/errors';

/**
 * How a Redshift Data API failure reads to the rest of the road. The SDK has already retried what
 * it retries (throttling, 5xx, dropped connections) when `maxAttempts` allows, by the time an error
 * gets here.
 */

export { isAbortError } from '../shared/errors';

export const ENGINE_NAME = 'redshift';

/**
 * "Slow down": the front door's throttling names, plus the Data API's own quota errors (too many
 * statements or sessions running at once), which clear up the same way — by waiting.
 */
export const isThrottling = throttlingTest([
  ...AWS_THROTTLING_NAMES,
  'ActiveStatementsExceededException', 'ActiveSessionsExceededException', 'ActiveWaitingRequestsExceededException',
]);

/** The Data API's "the cluster or workgroup is not there / not answering" errors. */
const UNAVAILABLE_NAMES = new Set(['InternalServerException', 'DatabaseConnectionException', 'AccessDeniedException', 'UnrecognizedClientException', 'ExpiredTokenException']);

/** A FAILED statement whose error says it ran out of time (statement_timeout, WLM timeout). */
export function isEngineTimeout(message: string): boolean {
  return /\bstatement timeout\b|\bquery timeout\b|\btimed out\b/i.test(message);
}

/** Maps any failure of a Data API call to an EngineError (an EngineError passes through). */
export function toEngineError(error: unknown, queryId: string | null): EngineError {
  if (error instanceof EngineError) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const name = shape.name ?? '';
  const message = shape.message || String(error);
  const status = shape.$metadata?.httpStatusCode;
  if (isThrottling(error)) {
    return new EngineError('ENGINE_UNAVAILABLE', `the Redshift Data API is throttling requests (${name || status}): ${message}`, ENGINE_NAME, queryId);
  }
  if (name === 'QueryTimeoutException') return new EngineError('QUERY_TIMEOUT', message, ENGINE_NAME, queryId);
  if (isUnreachable(shape) || UNAVAILABLE_NAMES.has(name) || status === 403) {
    return new EngineError('ENGINE_UNAVAILABLE', `the Redshift Data API is unreachable or failing: ${namePrefix(name)}${message}`, ENGINE_NAME, queryId);
  }
  // ValidationException, ExecuteStatementException, ResourceNotFoundException and other 4xx: the request is wrong.
  return new EngineError('QUERY_FAILED', `${namePrefix(name)}${message}`, ENGINE_NAME, queryId);
}
