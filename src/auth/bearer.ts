/** Tokens longer than this are refused before any parsing (8 KiB). */
export const MAX_TOKEN_LENGTH = 8 * 1024;

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type BearerToken = { ok: true; token: string } | { ok: false; reason: string };

/**
 * Extracts the token from an `Authorization` header (RFC 6750 §2.1: `Bearer <token>`, scheme
 * case-insensitive). Checks size and compact-JWS shape only; nothing is decoded here.
 */
export function extractBearerToken(header: string | undefined): BearerToken {
  const value = header?.trim() ?? '';
  if (value === '') return { ok: false, reason: 'missing bearer token' };
  const match = /^(\S+)(?:[ \t]+(.*))?$/s.exec(value);
  const scheme = match?.[1] ?? '';
  if (scheme.toLowerCase() !== 'bearer') return { ok: false, reason: 'unsupported authorization scheme (expected Bearer)' };
  const token = match?.[2]?.trim() ?? '';
  if (token === '') return { ok: false, reason: 'missing bearer token' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'token too large' };
  if (!JWS_COMPACT.test(token)) return { ok: false, reason: 'malformed token' };
  return { ok: true, token };
}
