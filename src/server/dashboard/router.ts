import { randomBytes } from 'node:crypto';
import express, { type Response } from 'express';
import type { LocalSignIn } from '../../auth/local-sign-in';
import { PAGE_HEADERS, pageContentSecurityPolicy } from '../html';
import { sendAsset } from '../static-assets';
import { DASHBOARD_ASSET_PREFIX, resolveDashboardAssets } from './assets';
import { renderDashboardHtml, type DashboardSignIn } from './page';

export const DASHBOARD_PATH = '/dashboard';

export interface DashboardOptions {
  /** Where the page sends GraphQL requests and opens its graphql-ws connection, e.g. `/graphql`. */
  readonly endpoint: string;
  /** Local mode's sign-in, or null: then `?role=` does not exist and the page asks for a token. */
  readonly signIn: LocalSignIn | null;
  /** The dev-token endpoint the page calls in local mode. */
  readonly tokenUrl: string;
}

/**
 * `GET /dashboard` (in local mode also `?role=NAME`, one of `auth.devRoles`) and its assets under
 * `/dashboard/assets/<version>/<name>`, by name from a fixed list. A URL naming another version
 * (a page from before an upgrade) still gets the file, but without the long cache.
 */
export function createDashboardRouter(options: DashboardOptions): express.Router {
  const assets = resolveDashboardAssets();
  const router = express.Router();
  router.get(DASHBOARD_PATH, (req, res) => {
    const signIn = signInFor(options, req.query['role']);
    if (signIn === 'unknown') return notFound(res);
    const nonce = randomBytes(16).toString('base64');
    res.status(200).set({ ...PAGE_HEADERS, 'Content-Security-Policy': pageContentSecurityPolicy(nonce, { dataFonts: false }) });
    res.send(renderDashboardHtml({ endpoint: options.endpoint, signIn, assets, path: DASHBOARD_PATH }, nonce));
  });
  router.get(`${DASHBOARD_ASSET_PREFIX}/:version/:name`, (req, res, next) => {
    const asset = assets.files.get(req.params['name'] ?? '');
    if (!asset) return notFound(res);
    sendAsset(res, asset, next, req.params['version'] === assets.version);
  });
  router.use(DASHBOARD_ASSET_PREFIX, (_req, res) => notFound(res));
  return router;
}

/** `?role=` is a local-mode sign-in: outside local mode, or naming no dev role, that page does not exist. */
function signInFor(options: DashboardOptions, role: unknown): DashboardSignIn | null | 'unknown' {
  if (role === undefined) return options.signIn ? { roles: options.signIn.roles, role: null, tokenUrl: options.tokenUrl } : null;
  if (!options.signIn || typeof role !== 'string' || !options.signIn.roles.includes(role)) return 'unknown';
  return { roles: options.signIn.roles, role, tokenUrl: options.tokenUrl };
}

function notFound(res: Response): void {
  res.status(404).type('text/plain').send('Not found');
}
