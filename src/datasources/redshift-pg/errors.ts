import { EngineError } from '../errors';
import { NETWORK_CODES } from '../shared/errors';

export const ENGINE_NAME = 'redshift';

/**
 * SQLSTATE classes and codes that say "the server is not there for us", not "the SQL is wrong":
 * connection exceptions (08), insufficient resources (53, e.g. too many connections), operator
 * intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), invalid
 * authorization (28), and a database that does not exist (3D000).
 */
function isUnavailableState(code: string): boolean {
  return code.startsWith('08') || code.startsWith('53') || code.startsWith('28') || code === '3D000' || /^57P0\d$/.test(code);
}

interface PgErrorShape {
  code?: string;
  message?: string;
  severity?: string;
}

/**
 * Maps a `pg` failure to an EngineError. A server error carries a five-character SQLSTATE; an
 * error without one is the driver's (connection refused, terminated, pool timeout), so the engine
 * is unavailable. 57014 is a cancelled statement: QUERY_TIMEOUT when `statement_timeout` fired.
 */
export function toEngineError(error: unknown, queryId: string | null): EngineError {
  if (error instanceof EngineError) return error;
  const shape = (error ?? {}) as PgErrorShape;
  const code = shape.code ?? '';
  const message = shape.message || String(error);
  if (/^[0-9A-Z]{5}$/.test(code) && !NETWORK_CODES.has(code)) {
    if (code === '57014') {
      return /statement timeout/i.test(message)
        ? new EngineError('QUERY_TIMEOUT', message, ENGINE_NAME, queryId)
        : new EngineError('QUERY_CANCELLED', message, ENGINE_NAME, queryId);
    }
    if (isUnavailableState(code)) return new EngineError('ENGINE_UNAVAILABLE', `Redshift is unavailable: ${message}`, ENGINE_NAME, queryId);
    return new EngineError('QUERY_FAILED', message, ENGINE_NAME, queryId);
  }
  return new EngineError('ENGINE_UNAVAILABLE', `Redshift is unreachable: ${code ? `${code}: ` : ''}${message}`, ENGINE_NAME, queryId);
}

/** True when the connection this error came from should not go back to the pool. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as PgErrorShape | null)?.code ?? '';
  return !/^[0-9A-Z]{5}$/.test(code) || NETWORK_CODES.has(code) || isUnavailableState(code);
}
