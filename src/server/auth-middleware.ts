import type { RequestHandler } from 'express';
import type { Principal } from '../auth/types';
import { errorBody } from './errors';

export interface TokenVerifier {
  verify(authorizationHeader: string | undefined): Promise<{ ok: true; principal: Principal } | { ok: false; reason: string }>;
}

/** Every GraphQL request needs a valid bearer token; otherwise HTTP 401 `UNAUTHENTICATED`. */
export function requireBearerToken(verifier: TokenVerifier): RequestHandler {
  return (req, res, next) => {
    verifier.verify(req.headers.authorization).then((result) => {
      if (result.ok) {
        res.locals['principal'] = result.principal;
        next();
        return;
      }
      res.status(401)
        .set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${result.reason.replace(/"/g, "'")}"`)
        .json(errorBody('UNAUTHENTICATED', `Unauthenticated: ${result.reason}`));
    }, next);
  };
}
