import express, { type Request } from 'express';
import type { LocalSignIn } from '../auth/local-sign-in';
import { errorBody } from './errors';

/** Where pages (dashboard, playground) get a dev token in local mode; absent otherwise. */
export const DEV_TOKEN_PATH = '/dev-token';

/**
 * `POST /dev-token` with `{ "role": NAME }` answers `{ role, token, expiresAt, expiresIn }`. Mounted only in
 * local mode. The role travels in the body and the token in the answer, so neither reaches the
 * request log; a JSON body needs a CORS preflight, which this server never grants, and a browser
 * that says the request comes from another site is refused outright.
 */
export function createDevSignInRouter(signIn: LocalSignIn): express.Router {
  const router = express.Router();
  router.post(DEV_TOKEN_PATH, express.json({ limit: '1kb' }), (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!fromThisSite(req)) return void res.status(403).json(errorBody('FORBIDDEN', 'Dev tokens are only handed to this server\'s own pages'));
    const role = (req.body as { role?: unknown } | undefined)?.role;
    const minted = typeof role === 'string' ? signIn.mint(role) : null;
    if (!minted) return void res.status(400).json(errorBody('BAD_REQUEST', `Expected a JSON body { "role": NAME } with a dev role: ${signIn.roles.join(', ')}`));
    res.json(minted);
  });
  return router;
}

/** Browsers say where a request comes from (Fetch Metadata); other clients, such as curl, do not. */
function fromThisSite(req: Request): boolean {
  const site = req.get('Sec-Fetch-Site');
  return site === undefined || site === 'same-origin';
}
