import { hash } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import type { AuthConfig } from '../config/schema';
import { allowedAlgorithm, familyAlgorithms, keyFamily, type Algorithm } from './algorithms';
import { extractBearerToken } from './bearer';
import { mapClaimsToPrincipals } from './principals';
import { createSigningKeys, type SigningKeys } from './signing-keys';
import type { AuthResult, Principal } from './types';

export interface TokenVerifier {
  /**
   * Verifies an `Authorization` header. Token faults resolve to `{ ok: false, reason }` (reason
   * safe to show the client). Rejects only when the JWKS endpoint cannot be read — a server fault.
   */
  verify(authorizationHeader: string | undefined): Promise<AuthResult>;
}

export interface TokenVerifierOptions {
  /** From `resolveHs256Secret`; null makes HS256 tokens unusable. */
  readonly hs256Secret: string | null;
}

type TokenHeader = { alg: Algorithm; kid: string | undefined };

/**
 * A bearer-JWT verifier for one auth configuration. Throws at creation when the configuration
 * cannot verify any token (misconfiguration is a start-up error, not a stream of 401s).
 */
export function createTokenVerifier(config: AuthConfig, options: TokenVerifierOptions): TokenVerifier {
  checkUsable(config, options);
  const keys = createSigningKeys({ hs256Secret: options.hs256Secret, jwksUri: config.jwksUri });
  return withVerifiedTokenCache((header) => verifyHeader(config, keys, header), config.clockToleranceSeconds);
}

/** Tokens remembered as verified; a token is a few hundred bytes, so this bounds the cache to a few megabytes. */
const VERIFIED_TOKENS = 10_000;

/**
 * Remembers each verified token (by a hash of the header, never the token itself) with its
 * principal until its `exp` (plus the clock tolerance verification allows): a client sends the
 * same token with every request, and checking its signature every time is work done twice.
 * Refused tokens are not remembered: a bad token is never cheaper to send.
 */
function withVerifiedTokenCache(verify: TokenVerifier['verify'], toleranceSeconds: number): TokenVerifier {
  const verified = new LRUCache<string, { principal: Principal; validUntil: number }>({ max: VERIFIED_TOKENS });
  return {
    verify: async (header) => {
      if (header === undefined) return verify(header);
      const key = hash('sha256', header, 'base64');
      const known = verified.get(key);
      if (known && Date.now() < known.validUntil) return { ok: true, principal: known.principal };
      const result = await verify(header);
      if (result.ok) verified.set(key, { principal: result.principal, validUntil: (Number(result.principal.claims['exp']) + toleranceSeconds) * 1000 });
      return result;
    },
  };
}

async function verifyHeader(config: AuthConfig, keys: SigningKeys, authorizationHeader: string | undefined): Promise<AuthResult> {
  const bearer = extractBearerToken(authorizationHeader);
  if (!bearer.ok) return bearer;
  const header = readHeader(bearer.token, config.algorithms);
  if ('reason' in header) return { ok: false, reason: header.reason };
  const key = await keys.lookup(header.alg, header.kid);
  if (!key.ok) return key;
  let payload: unknown;
  try {
    payload = jwt.verify(bearer.token, key.key, {
      algorithms: familyAlgorithms(keyFamily(header.alg), config.algorithms),
      // Issuer and audience are checked whenever configured; a deployment that trusts a shared
      // identity provider must set both, or tokens minted for other apps are accepted.
      ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
      ...(config.audience !== undefined ? { audience: config.audience } : {}),
      clockTolerance: config.clockToleranceSeconds,
    });
  } catch (error) {
    return { ok: false, reason: describeVerifyError(error) };
  }
  return toPrincipal(payload, config);
}

/** Decodes (does not trust) the header: `alg` must be allow-listed — `none` never is. */
function readHeader(token: string, allowList: readonly Algorithm[]): TokenHeader | { reason: string } {
  let decoded: jwt.Jwt | null;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    decoded = null;
  }
  if (!decoded || typeof decoded.header !== 'object' || decoded.header === null) return { reason: 'malformed token' };
  const { alg, kid } = decoded.header as { alg?: unknown; kid?: unknown };
  if (typeof alg !== 'string' || (kid !== undefined && typeof kid !== 'string')) return { reason: 'malformed token' };
  if (alg.toLowerCase() === 'none') return { reason: 'unsigned tokens are not accepted' };
  const allowed = allowedAlgorithm(alg, allowList);
  if (!allowed) return { reason: 'token algorithm not allowed' };
  return { alg: allowed, kid };
}

/**
 * The verified payload as a Principal. Like most serious APIs we require `exp` (a token without an
 * expiry would be valid forever once leaked) and a string `sub` (the audit log's "who").
 */
function toPrincipal(payload: unknown, config: AuthConfig): AuthResult {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { ok: false, reason: 'malformed token' };
  const claims = payload as JwtPayload;
  if (typeof claims.exp !== 'number') return { ok: false, reason: 'token has no expiry (exp)' };
  if (typeof claims.sub !== 'string' || claims.sub === '') return { ok: false, reason: 'token has no subject (sub)' };
  const principal: Principal = Object.freeze({
    subject: claims.sub,
    principals: Object.freeze(mapClaimsToPrincipals(claims, config.principals)),
    claims: deepFreeze(structuredClone(claims)),
  });
  return { ok: true, principal };
}

function describeVerifyError(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return 'token expired';
  if (error instanceof jwt.NotBeforeError) return 'token not yet valid';
  if (!(error instanceof jwt.JsonWebTokenError)) return 'invalid token';
  const message = error.message;
  if (message === 'invalid signature') return 'invalid signature';
  if (message.startsWith('jwt issuer invalid')) return 'wrong issuer';
  if (message.startsWith('jwt audience invalid')) return 'wrong audience';
  if (message === 'invalid algorithm') return 'token algorithm not allowed';
  if (message === 'jwt malformed' || message === 'invalid token' || message === 'jwt signature is required') return 'malformed token';
  return 'invalid token';
}

function checkUsable(config: AuthConfig, options: TokenVerifierOptions): void {
  const asymmetric = familyAlgorithms('jwks', config.algorithms);
  if (asymmetric.length > 0 && config.jwksUri === undefined) {
    throw new Error(`auth.algorithms allows ${asymmetric.join(', ')} but auth.jwksUri is not set`);
  }
  if (asymmetric.length === 0 && options.hs256Secret === null) {
    throw new Error(`auth.algorithms allows only HS256 but no HS256 secret is available: set the variable ${config.hs256SecretEnv}`);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
