import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwksRsa from 'jwks-rsa';
import { keyFamily, type Algorithm } from './algorithms';

export type KeyLookup = { ok: true; key: KeyObject } | { ok: false; reason: string };

export interface SigningKeys {
  /**
   * The key that must have signed a token with this (allow-listed) `alg` and `kid`. Resolves to
   * `{ ok: false }` for token faults; rejects only when the JWKS endpoint cannot be read (a server
   * fault, not the client's).
   */
  lookup(alg: Algorithm, kid: string | undefined): Promise<KeyLookup>;
}

export interface SigningKeysOptions {
  readonly hs256Secret: string | null;
  readonly jwksUri: string | undefined;
}

const JWKS_TIMEOUT_MS = 5_000;
const JWKS_REQUESTS_PER_MINUTE = 10;
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;

/**
 * Keys by family: HS256 only ever gets the shared secret, RS256/ES256 only ever a JWKS public key. This
 * is what blocks HS/RS key confusion (an HS256 token "signed" with the RSA public key as secret).
 */
export function createSigningKeys(options: SigningKeysOptions): SigningKeys {
  const secret = options.hs256Secret === null ? null : createSecretKey(Buffer.from(options.hs256Secret, 'utf8'));
  const jwks = options.jwksUri === undefined ? null : createJwksKeys(options.jwksUri);
  return {
    async lookup(alg, kid) {
      if (keyFamily(alg) === 'secret') {
        return secret ? { ok: true, key: secret } : { ok: false, reason: 'HS256 tokens are not accepted' };
      }
      return jwks ? jwks(alg, kid) : { ok: false, reason: `${alg} tokens are not accepted` };
    },
  };
}

/**
 * JWKS keys through jwks-rsa. Keys are cached per `kid`; a `kid` not in the cache triggers a fresh
 * fetch of the key set (so a rotated-in key is picked up at once), rate-limited so a flood of
 * made-up `kid`s cannot hammer the identity provider. Failed look-ups are not cached.
 */
function createJwksKeys(jwksUri: string): (alg: Algorithm, kid: string | undefined) => Promise<KeyLookup> {
  const client = jwksRsa({
    jwksUri,
    cache: true,
    cacheMaxEntries: 16,
    cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    rateLimit: true,
    jwksRequestsPerMinute: JWKS_REQUESTS_PER_MINUTE,
    timeout: JWKS_TIMEOUT_MS,
  });
  const parsed = new WeakMap<jwksRsa.SigningKey, KeyObject>();
  return async (alg, kid) => {
    let signingKey: jwksRsa.SigningKey;
    try {
      signingKey = await client.getSigningKey(kid);
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'SigningKeyNotFoundError' || name === 'JwksRateLimitError') return { ok: false, reason: 'unknown signing key' };
      throw new Error(`cannot read signing keys from ${jwksUri}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    let key = parsed.get(signingKey);
    if (!key) {
      key = createPublicKey(signingKey.getPublicKey());
      parsed.set(signingKey, key);
    }
    // A key published for one algorithm is never used for another.
    const fits = (!signingKey.alg || signingKey.alg === alg) && keyFitsAlgorithm(key, alg);
    return fits ? { ok: true, key } : { ok: false, reason: 'signing key does not match the token algorithm' };
  };
}

function keyFitsAlgorithm(key: KeyObject, alg: Algorithm): boolean {
  switch (alg) {
    case 'RS256':
      return key.asymmetricKeyType === 'rsa';
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'HS256':
      return false;
  }
}
