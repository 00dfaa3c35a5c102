import type { Logger } from 'pino';
import { refusal, type Refusal } from '../http/refusal';

/** Codes a client may read (see createErrorFormatter); anything else is masked. */
const PUBLIC_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
  'LIMIT_EXCEEDED', 'RATE_LIMITED', 'QUERY_TIMEOUT', 'QUERY_FAILED', 'ENGINE_UNAVAILABLE',
]);

/**
 * HTTP statuses of codes whose error carries none (`extensions.http`): the document's mistakes as
 * /graphql answers them (400); an engine failure before the first row, which /graphql answers 200
 * beside partial data, is a gateway failure for a file download.
 */
const STATUS: Readonly<Record<string, number>> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  LIMIT_EXCEEDED: 400,
  QUERY_FAILED: 502,
  ENGINE_UNAVAILABLE: 503,
  QUERY_TIMEOUT: 504,
};

interface Coded {
  readonly message: string;
  readonly extensions: { readonly code: string; readonly http?: { readonly status: number; readonly headers?: ReadonlyMap<string, string> } } & Record<string, unknown>;
}

function coded(error: unknown): Coded | null {
  const code = (error as Partial<Coded> | null)?.extensions?.code;
  return typeof code === 'string' && PUBLIC_CODES.has(code) ? error as Coded : null;
}

/** An error before the first row, as the JSON refusal a client gets: its code, message and extensions (never a stack), its status. */
export function exportRefusal(error: unknown, logger: Logger): Refusal {
  const known = coded(error);
  if (!known) {
    logger.error({ err: error }, 'unexpected error in an export');
    return refusal(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  }
  const { http, code, ...extensions } = known.extensions;
  return refusal(http?.status ?? STATUS[code] ?? 500, code, known.message, extensions, Object.fromEntries(http?.headers ?? []));
}

/** An error after the head was sent: its code and message for the NDJSON `@error` line and the log. */
export function exportFailure(error: unknown, logger: Logger): { code: string; message: string } {
  const known = coded(error);
  if (known) return { code: known.extensions.code, message: known.message };
  logger.error({ err: error }, 'unexpected error in an export');
  return { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' };
}
