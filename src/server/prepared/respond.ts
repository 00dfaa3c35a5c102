import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { PreparedResult } from './execute';

/** What Apollo Server was given as `formatError`. */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** The HTTP answer to a prepared operation, as Apollo Server would have written it. */
export interface PreparedAnswer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  /** The errors as the client gets them (after the formatter). */
  readonly errors: readonly GraphQLFormattedError[];
  /** The errors as execution raised them. */
  readonly raised: readonly GraphQLError[];
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Apollo Server's single-result answer, step for step: each error given a code (or
 * INTERNAL_SERVER_ERROR), its `extensions.http` taken off into the answer's status and headers,
 * then the server's formatter; the fields in Apollo's order (errors, data, extensions) and its
 * trailing newline.
 */
export function preparedAnswer(result: PreparedResult, extensions: Record<string, unknown>, formatError: ErrorFormatter): PreparedAnswer {
  let status = 200;
  const headers = new Map<string, string>();
  const errors = result.errors.map((error) => {
    try {
      const extensionsOf: Record<string, unknown> = { ...error.extensions, code: error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR' };
      const http = extensionsOf['http'];
      if (isHttpHead(http)) {
        if (http.status) status = http.status;
        for (const [name, value] of http.headers ?? []) headers.set(name.toLowerCase(), value);
        delete extensionsOf['http'];
      }
      return formatError({ ...error.toJSON(), extensions: extensionsOf }, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  headers.set('content-type', JSON_CONTENT_TYPE);
  const body = JSON.stringify({ errors: errors.length > 0 ? errors : undefined, data: result.data, extensions }) + '\n';
  return { status, headers, body, errors, raised: result.errors };
}

function isHttpHead(value: unknown): value is { readonly status?: number; readonly headers?: ReadonlyMap<string, string> } {
  return !!value && typeof value === 'object'
    && (!('status' in value) || typeof value.status === 'number')
    && (!('headers' in value) || value.headers instanceof Map);
}
