import { createHmac, randomBytes } from 'node:crypto';
import type { PagingConfig } from '../config/schema';
import { MIN_HS256_SECRET_BYTES } from '../auth/secret';
import type { CursorKeys } from '../planner/cursor';

/**
 * The key cursors are signed with:
 * 1. the environment variable named by `paging.cursorSecretEnv` (at least 32 bytes, else start-up fails);
 * 2. else derived from the HS256 JWT secret (HMAC-SHA256 of a fixed label), so replicas that share
 *    the JWT secret accept each other's cursors and the JWT secret itself never signs a cursor;
 * 3. else a random key for this process (logged as a warning: cursors then work on one replica only
 *    and die with the process).
 */
export function resolveCursorKeys(
  config: PagingConfig,
  env: Readonly<Record<string, string | undefined>>,
  hs256Secret: string | null,
  logger: { warn(fields: Record<string, unknown>, message: string): void },
): CursorKeys {
  const fromEnv = env[config.cursorSecretEnv];
  if (fromEnv !== undefined) {
    if (Buffer.byteLength(fromEnv) < MIN_HS256_SECRET_BYTES) {
      throw new Error(`environment variable ${config.cursorSecretEnv} holds a ${Buffer.byteLength(fromEnv)}-byte cursor secret; at least ${MIN_HS256_SECRET_BYTES} bytes are required`);
    }
    return { key: Buffer.from(fromEnv), ttlMs: config.cursorTtl };
  }
  if (hs256Secret !== null) return { key: createHmac('sha256', hs256Secret).update('lakegate cursor key v1').digest(), ttlMs: config.cursorTtl };
  logger.warn({ env: config.cursorSecretEnv }, 'no cursor secret and no HS256 secret: page cursors are signed with a random key of this process (they will not work on other replicas or after a restart)');
  return { key: randomBytes(32), ttlMs: config.cursorTtl };
}
