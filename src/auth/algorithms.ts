import type { AuthConfig } from '../config/schema';

export type Algorithm = AuthConfig['algorithms'][number];

/** HS256 tokens verify only with the shared secret; RS256/ES256 only with JWKS public keys. */
export type KeyFamily = 'secret' | 'jwks';

export function keyFamily(alg: Algorithm): KeyFamily {
  return alg.startsWith('HS') ? 'secret' : 'jwks';
}

/** The allow-listed algorithm matching a token header's `alg`, or null (never `none`). */
export function allowedAlgorithm(alg: unknown, allowList: readonly Algorithm[]): Algorithm | null {
  if (typeof alg !== 'string') return null;
  return allowList.find((allowed) => allowed === alg) ?? null;
}

/** The allow-list restricted to the algorithms of one key family. */
export function familyAlgorithms(family: KeyFamily, allowList: readonly Algorithm[]): Algorithm[] {
  return allowList.filter((alg) => keyFamily(alg) === family);
}
