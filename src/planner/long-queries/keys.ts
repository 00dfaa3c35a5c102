import { randomBytes } from 'node:crypto';
import { fingerprint } from '../../query/fingerprint';

/** How long a record outlives its abandonAt when no sweeper retires it (no replica alive). */
export const DEFAULT_ORPHAN_TTL_MS = 60 * 60_000;
/** How long a handle still answers `done` after its query left the running set. */
export const DEFAULT_DONE_RETENTION_MS = 10 * 60_000;

/**
 * The request key: identical requests on one engine by callers with the same entitlement share
 * one engine query. The entitlement is inside the hash, so a pick-up can never cross permission
 * sets; the engine too, as two dialects can write the same SQL text.
 */
export function requestKey(parts: { engine: string; entitlement: string; sql: string; params: readonly unknown[] }): string {
  return fingerprint([parts.engine, parts.entitlement, parts.sql, parts.params]);
}

/** 128 random bits: the handle is the only thing a client holds, so it must not be guessable. */
export function newHandle(): string {
  return randomBytes(16).toString('base64url');
}
