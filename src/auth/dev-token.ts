import jwt from 'jsonwebtoken';
import type { AuthConfig } from '../config/schema';

const DEFAULT_TTL_SECONDS = 8 * 3600;

/**
 * Signs an HS256 development token for one of `auth.devRoles` (local mode: `lakegate token
 * --role NAME`): the role's claims plus `sub: dev-<role>`, `iss`, `aud`, `iat` and `exp`.
 * Throws when the role is unknown (listing the known ones) or HS256 is not allow-listed.
 */
export function signDevToken(config: AuthConfig, secret: string, role: string, ttlSeconds = DEFAULT_TTL_SECONDS): string {
  if (!Object.hasOwn(config.devRoles, role)) {
    const known = Object.keys(config.devRoles);
    throw new Error(`unknown dev role "${role}"; known roles: ${known.length > 0 ? known.join(', ') : '(none: add some under auth.devRoles)'}`);
  }
  if (!config.algorithms.includes('HS256')) throw new Error('dev tokens are HS256, which auth.algorithms does not allow');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  const iat = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    ...config.devRoles[role],
    sub: `dev-${role}`,
    iat,
    exp: iat + ttlSeconds,
    ...(config.issuer !== undefined ? { iss: config.issuer } : {}),
    ...(config.audience !== undefined ? { aud: config.audience } : {}),
  };
  return jwt.sign(payload, secret, { algorithm: 'HS256' });
}
