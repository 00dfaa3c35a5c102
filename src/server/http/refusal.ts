import type { ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { errorBody } from '../errors';

/** An answer given before GraphQL runs (a missing token, a malformed body, a request rate past its limit): a value until it is sent. */
export interface Refusal {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly errors: readonly GraphQLFormattedError[] };
}

export function refusal(status: number, code: string, message: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}): Refusal {
  return { status, headers, body: errorBody(code, message, extensions) };
}

/** Writes a refusal as JSON; the same on a bare node response and an express one. */
export function sendRefusal(res: ServerResponse, { status, headers, body }: Refusal): void {
  sendJson(res, status, body, headers);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
