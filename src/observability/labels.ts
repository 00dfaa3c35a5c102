/**
 * Label values for metrics and span attributes, bounded: each comes from our own code (error
 * codes, limit names) or from a capped set (operation names), never from a value, a token or a
 * subject. Anything that does not look like what we expect collapses into one catch-all value.
 */

/** An `extensions.code` as we write them: SCREAMING_SNAKE_CASE. */
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** A limit's name (`maxDepth`, `requestsPerWindow`, `athena.bytesPerDay`). */
const LIMIT = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** GraphQL names are already `[_A-Za-z][_0-9A-Za-z]*`; a very long one is not a name anyone charts. */
const MAX_OPERATION_NAME_LENGTH = 100;

export const UNEXPECTED_CODE = 'INTERNAL_SERVER_ERROR';

/** The code of a GraphQL, Lakegate or engine error (`extensions.code`, else `code`), or INTERNAL_SERVER_ERROR. */
export function errorCode(error: unknown): string {
  const shape = error as { extensions?: { code?: unknown }; code?: unknown } | null | undefined;
  return codeLabel(shape?.extensions?.code ?? shape?.code);
}

/** A code as a label value: the code itself when it has the shape of one, else INTERNAL_SERVER_ERROR. */
export function codeLabel(code: unknown): string {
  return typeof code === 'string' && CODE.test(code) ? code : UNEXPECTED_CODE;
}

/** `extensions.limit` as a label value; `unspecified` when the error does not name its limit. */
export function limitLabel(limit: unknown): string {
  return typeof limit === 'string' && LIMIT.test(limit) ? limit : 'unspecified';
}

/** Codes that mean a limit refused the request (`lakegate_refusals_total`). */
export function isRefusal(code: string): boolean {
  return code === 'LIMIT_EXCEEDED' || code === 'RATE_LIMITED';
}

/**
 * Operation names as label values, at most `capacity` distinct ones per app: clients choose the
 * names, so past the cap (or for an absurdly long one) a new name is counted as `other`.
 * `anonymous` is an operation without a name; `unresolved` a request that never got to one
 * (unparsable or invalid document, unknown operationName).
 */
export class OperationNames {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity: number) {}

  label(operation: { readonly name?: { readonly value: string } | undefined } | undefined): string {
    if (!operation) return 'unresolved';
    const name = operation.name?.value;
    if (!name) return 'anonymous';
    if (this.seen.has(name)) return name;
    if (name.length > MAX_OPERATION_NAME_LENGTH || this.seen.size >= this.capacity) return 'other';
    this.seen.add(name);
    return name;
  }
}
