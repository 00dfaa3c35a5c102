import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { PAGE_HEADERS, pageContentSecurityPolicy } from './html';
import { CSS, JAVASCRIPT, packageAsset, resolvePackage, sendAsset, type PackageAsset } from './static-assets';
import { renderPlaygroundHtml, type PlaygroundAssetUrls, type PlaygroundSignIn } from './playground-page';

export interface PlaygroundOptions {
  /** Where the page is served (GET, browsers only) and where it sends GraphQL requests, e.g. `/graphql`. */
  readonly endpoint: string;
  readonly defaultQuery: string;
  /** The command that prints a token, e.g. `npm run token -- --role analyst`. */
  readonly tokenHint: string;
  /** Local mode: the dev roles and the endpoint that mints their tokens; without it the page shows no role picker. */
  readonly signIn?: PlaygroundSignIn | null;
}

/** The only files the playground exposes, all under this prefix. */
export const PLAYGROUND_ASSET_PREFIX = '/playground';

/**
 * GET `endpoint` answers browsers (Accept prefers text/html) with the GraphiQL page and passes
 * every other request on, so GraphQL GETs still reach the API. `/playground/<name>` serves the
 * four whitelisted GraphiQL/React files from node_modules and 404s anything else.
 */
export function createPlaygroundRouter(options: PlaygroundOptions): express.Router {
  const assets = resolvePlaygroundAssets();
  const page = { ...options, signIn: options.signIn ?? null, assets: assetUrls(assets) };
  const router = express.Router();

  router.get(options.endpoint, (req, res, next) => {
    res.vary('Accept');
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    const nonce = randomBytes(16).toString('base64');
    res.status(200).set({ ...PAGE_HEADERS, 'Content-Security-Policy': pageContentSecurityPolicy(nonce, { dataFonts: true }) });
    res.send(renderPlaygroundHtml(page, nonce));
  });
  router.get(`${PLAYGROUND_ASSET_PREFIX}/:name`, (req, res, next) => {
    const asset = assets.get(req.params['name'] ?? '');
    if (!asset) return next();
    sendAsset(res, asset, next);
  });
  router.use(PLAYGROUND_ASSET_PREFIX, (_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found');
  });
  return router;
}

/** The four GraphiQL/React files, from the installed packages. */
function resolvePlaygroundAssets(): ReadonlyMap<string, PackageAsset> {
  const graphiql = resolvePackage('graphiql');
  const react = resolvePackage('react');
  const reactDom = resolvePackage('react-dom');
  const entries: [string, PackageAsset][] = [
    ['graphiql.min.js', packageAsset(graphiql, 'graphiql.min.js', JAVASCRIPT)],
    ['graphiql.min.css', packageAsset(graphiql, 'graphiql.min.css', CSS)],
    ['react.production.min.js', packageAsset(react, 'umd/react.production.min.js', JAVASCRIPT)],
    ['react-dom.production.min.js', packageAsset(reactDom, 'umd/react-dom.production.min.js', JAVASCRIPT)],
  ];
  return new Map(entries);
}

function assetUrls(assets: ReadonlyMap<string, PackageAsset>): PlaygroundAssetUrls {
  const url = (name: string): string => {
    const asset = assets.get(name);
    if (!asset) throw new Error(`Unknown playground asset ${name}`);
    return `${PLAYGROUND_ASSET_PREFIX}/${name}?v=${encodeURIComponent(asset.version)}`;
  };
  return {
    graphiqlCss: url('graphiql.min.css'),
    react: url('react.production.min.js'),
    reactDom: url('react-dom.production.min.js'),
    graphiqlJs: url('graphiql.min.js'),
  };
}
