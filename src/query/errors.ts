/**
 * The one error shape every stage raises for expected failures. The GraphQL edge turns it
 * into `extensions.code` (and the HTTP status where the whole request is at fault).
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'QUERY_TIMEOUT'
  | 'QUERY_RUNNING'
  | 'QUERY_FAILED'
  | 'ENGINE_UNAVAILABLE'
  | 'PERSISTED_QUERY_NOT_ALLOWED';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  LIMIT_EXCEEDED: 400,
  RATE_LIMITED: 429,
  PERSISTED_QUERY_NOT_ALLOWED: 403,
};

/** How the GraphQL server reads an error's HTTP status and headers (Apollo's `extensions.http`). */
interface HttpHead {
  readonly status: number;
  readonly headers?: ReadonlyMap<string, string>;
}

export class LakegateError extends Error {
  readonly extensions: { readonly code: ErrorCode; readonly http?: HttpHead };

  /** `details.retryAfterSeconds` also becomes the response's `Retry-After` header. */
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'LakegateError';
    const status = HTTP_STATUS[code];
    const retryAfter = details['retryAfterSeconds'];
    const headers = typeof retryAfter === 'number' ? { headers: new Map([['retry-after', String(retryAfter)]]) } : {};
    this.extensions = { ...details, code, ...(status ? { http: { status, ...headers } } : {}) };
  }
}
