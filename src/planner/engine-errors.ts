import type { EngineErrorCode } from '../datasources/errors';
import type { ErrorCode } from '../query/errors';

/**
 * How the API names an engine failure: a cancelled query (the client left) reads as failed, a
 * query the engine's queue refused as rate limited. NOT_CACHED never reaches a client (the
 * planner turns it into the refusal that asked for it); should it, it reads as failed.
 */
const API_CODES: Readonly<Record<EngineErrorCode, ErrorCode>> = {
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  QUERY_FAILED: 'QUERY_FAILED',
  ENGINE_UNAVAILABLE: 'ENGINE_UNAVAILABLE',
  QUERY_CANCELLED: 'QUERY_FAILED',
  ENGINE_BUSY: 'RATE_LIMITED',
  NOT_CACHED: 'QUERY_FAILED',
};

export function apiCode(code: EngineErrorCode): ErrorCode {
  return API_CODES[code];
}
