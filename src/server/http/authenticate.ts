import type { TokenVerifier } from '../../auth/verifier';
import type { Principal } from '../../auth/types';
import { refusal, type Refusal } from './refusal';

export type Authentication = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly refusal: Refusal };

/**
 * Every request to the API needs a valid bearer token; otherwise HTTP 401 `UNAUTHENTICATED`.
 * Rejects only when the keys cannot be read (a JWKS endpoint down): a server fault, not the caller's.
 */
export async function authenticate(verifier: TokenVerifier, authorization: string | undefined): Promise<Authentication> {
  const result = await verifier.verify(authorization);
  if (result.ok) return result;
  return {
    ok: false,
    refusal: refusal(401, 'UNAUTHENTICATED', `Unauthenticated: ${result.reason}`, {}, {
      'www-authenticate': `Bearer error="invalid_token", error_description="${result.reason.replace(/"/g, "'")}"`,
    }),
  };
}
