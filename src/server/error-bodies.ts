import type { Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';

/**
 * Calls `observe` with the errors of a JSON error body answered on `res` outside Apollo: a missing
 * token, a malformed body, a refusal by a middleware (all answer `res.json(errorBody(...))`).
 * Apollo writes its own responses (`res.send`); plugins observe those.
 */
export function onErrorBody(res: Response, observe: (errors: readonly GraphQLFormattedError[]) => void): void {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    const errors = (body as { errors?: unknown } | null | undefined)?.errors;
    if (Array.isArray(errors)) observe(errors as GraphQLFormattedError[]);
    return json(body);
  };
}
