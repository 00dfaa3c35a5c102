import jwt from 'jsonwebtoken';
import type { AuthConfig } from '../config/schema';
import { signDevToken } from './dev-token';

/** How long a token minted for a page lives; the dashboard renews it a minute before it runs out. */
export const PAGE_TOKEN_TTL_SECONDS = 15 * 60;

export interface PageToken {
  readonly role: string;
  readonly token: string;
  /** The token's `exp` (seconds since the epoch). */
  readonly expiresAt: number;
  /** Its lifetime in seconds: what a page times its renewal by, whatever its own clock says. */
  readonly expiresIn: number;
}

/** The server signing its own pages in as a sample role: only ever built in local mode. */
export interface LocalSignIn {
  /** The `auth.devRoles` names, in configuration order. */
  readonly roles: readonly string[];
  /** A short-lived dev token for `role`; null when `role` is not one of `roles`. */
  mint(role: string): PageToken | null;
}

/**
 * Local mode: the server may hand out dev tokens to whoever opens its pages. It holds when all of
 *
 * - `auth.devRoles` names at least one role,
 * - no identity provider is configured: `auth.jwksUri` is unset and `auth.algorithms` allows HS256,
 * - the HS256 secret is the generated dev secret (`.lakegate-dev-secret`): the variable named by
 *   `auth.hs256SecretEnv` is unset. An operator who sets that variable has a real secret, and a
 *   server must never mint tokens under a real secret for anyone who asks.
 *
 * Otherwise null, and the sign-in routes are not mounted at all.
 */
export function resolveLocalSignIn(config: AuthConfig, env: Readonly<Record<string, string | undefined>>, hs256Secret: string | null): LocalSignIn | null {
  const roles = Object.keys(config.devRoles);
  const local = roles.length > 0
    && config.jwksUri === undefined
    && config.algorithms.includes('HS256')
    && env[config.hs256SecretEnv] === undefined
    && hs256Secret !== null;
  if (!local) return null;
  return {
    roles,
    mint: (role) => {
      if (!roles.includes(role)) return null;
      const token = signDevToken(config, hs256Secret, role, PAGE_TOKEN_TTL_SECONDS);
      const { exp, iat } = jwt.decode(token) as { exp: number; iat: number };
      return { role, token, expiresAt: exp, expiresIn: exp - iat };
    },
  };
}
