import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';

/** Codes a client may see; anything else is an unexpected failure and is masked. */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
  'LIMIT_EXCEEDED', 'RATE_LIMITED', 'QUERY_TIMEOUT', 'QUERY_RUNNING', 'QUERY_FAILED', 'ENGINE_UNAVAILABLE', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_ALLOWED', 'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * One error shape: a known code keeps its message; anything unexpected is logged with its stack
 * and reaches the client as a generic INTERNAL_SERVER_ERROR, never a stack trace.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: unwrapResolverError(error) }, 'unexpected error while serving a request');
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** The body of an error answered before GraphQL runs (auth, malformed JSON, request rate), with any further extensions. */
export function errorBody(code: string, message: string, extensions: Record<string, unknown> = {}): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { ...extensions, code } }] };
}
