import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AuthConfig } from '../config/schema';

/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output (256 bits). */
export const MIN_HS256_SECRET_BYTES = 32;
const DEV_SECRET_BYTES = 48;

/**
 * The HS256 secret, or null when HS256 cannot be used.
 *
 * 1. The environment variable named by `auth.hs256SecretEnv`, when set (it must hold at least 32
 *    bytes: a shorter one is a start-up misconfiguration and throws).
 * 2. Otherwise, in local mode (`devSecretFile` given), the secret stored in that file, created
 *    with a random 48-byte base64url secret (mode 0600) the first time.
 * 3. Otherwise null.
 */
export function resolveHs256Secret(
  config: Pick<AuthConfig, 'hs256SecretEnv'>,
  env: Readonly<Record<string, string | undefined>>,
  devSecretFile: string | null,
): string | null {
  const fromEnv = env[config.hs256SecretEnv];
  if (fromEnv !== undefined) return checkedSecret(fromEnv, `environment variable ${config.hs256SecretEnv}`);
  if (devSecretFile === null) return null;
  return readOrCreateDevSecret(devSecretFile);
}

function readOrCreateDevSecret(file: string): string {
  const created = randomBytes(DEV_SECRET_BYTES).toString('base64url');
  try {
    // 'wx' fails when the file exists, so two processes starting together cannot overwrite each other.
    writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' });
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return checkedSecret(readFileSync(file, 'utf8').trim(), `dev secret file ${file}`);
}

function checkedSecret(secret: string, source: string): string {
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_HS256_SECRET_BYTES) {
    throw new Error(
      `${source} holds a ${bytes}-byte HS256 secret; at least ${MIN_HS256_SECRET_BYTES} bytes are required ` +
        '(generate one with: openssl rand -base64 48)',
    );
  }
  return secret;
}
