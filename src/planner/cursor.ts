import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ResultPosition } from '../datasources/pages';
import type { RowValue } from '../datasources/types';
import { LakegateError } from '../query/errors';

/** How cursors are signed and how long they live; the same on every replica that shares the config. */
export interface CursorKeys {
  readonly key: Buffer;
  readonly ttlMs: number;
}

/** Whose and which read a cursor belongs to: the caller, its entitlement fingerprint, and a hash of the page-1 query. */
export interface CursorBinding {
  readonly subject: string;
  readonly entitlement: string;
  readonly query: string;
}

/**
 * Where the next page starts: after the last row's order key (an engine without result pages seeks
 * by it), or at a position of an engine result (the engine query that the first page ran).
 */
export type CursorState =
  | { readonly kind: 'seek'; readonly key: readonly RowValue[] }
  | { readonly kind: 'result'; readonly queryId: string; readonly position: ResultPosition };

interface Payload {
  /** sha256 of the binding: the cursor does not reveal the caller or the query. */
  readonly b: string;
  /** Expiry, epoch ms. */
  readonly e: number;
  readonly s: CursorState;
}

/** One message whatever is wrong with a cursor, so a refusal tells a prober nothing. */
export const INVALID_CURSOR = 'invalid or expired cursor; start again without `after`';

/** An opaque cursor: base64url JSON, a dot, base64url HMAC-SHA256 of that JSON. */
export function encodeCursor(state: CursorState, binding: CursorBinding, keys: CursorKeys, now = Date.now()): string {
  const payload: Payload = { b: bindingHash(binding), e: now + keys.ttlMs, s: state };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, keys.key)}`;
}

/** The state a cursor carries; BAD_USER_INPUT (INVALID_CURSOR) when forged, truncated, expired, or another caller's or query's. */
export function decodeCursor(cursor: string, binding: CursorBinding, keys: CursorKeys, now = Date.now()): CursorState {
  const [body, signature, ...rest] = cursor.split('.');
  if (!body || !signature || rest.length > 0 || !sameText(signature, sign(body, keys.key))) throw invalidCursor();
  const payload = parsePayload(body);
  if (!payload || payload.e <= now || !sameText(payload.b, bindingHash(binding))) throw invalidCursor();
  return payload.s;
}

function invalidCursor(): LakegateError {
  return new LakegateError('BAD_USER_INPUT', INVALID_CURSOR);
}

function sign(body: string, key: Buffer): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

function bindingHash(binding: CursorBinding): string {
  return createHash('sha256').update(JSON.stringify([binding.subject, binding.entitlement, binding.query])).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The signed body is ours, so its shape is checked only as far as a key rotation could change it. */
function parsePayload(body: string): Payload | null {
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Payload>;
    return typeof payload.b === 'string' && typeof payload.e === 'number' && typeof payload.s === 'object' && payload.s !== null ? payload as Payload : null;
  } catch {
    return null;
  }
}
