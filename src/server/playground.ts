import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { playgroundContentSecurityPolicy, renderPlaygroundHtml, type PlaygroundAssetUrls } from './playground-page';

export interface PlaygroundOptions {
  /** Where the page is served (GET, browsers only) and where it sends GraphQL requests, e.g. `/graphql`. */
  readonly endpoint: string;
  readonly defaultQuery: string;
  /** The command that prints a token, e.g. `npm run token -- --role analyst`. */
  readonly tokenHint: string;
}

/** The only files the playground exposes, all under this prefix. */
export const PLAYGROUND_ASSET_PREFIX = '/playground';

interface PlaygroundAsset {
  readonly file: string;
  readonly contentType: string;
  /** Package version, appended to the asset URL so an upgrade is never hidden by the long cache. */
  readonly version: string;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * GET `endpoint` answers browsers (Accept prefers text/html) with the GraphiQL page and passes
 * every other request on, so GraphQL GETs still reach the API. `/playground/<name>` serves the
 * four whitelisted GraphiQL/React files from node_modules and 404s anything else.
 */
export function createPlaygroundRouter(options: PlaygroundOptions): express.Router {
  const assets = resolvePlaygroundAssets();
  const page = { ...options, assets: assetUrls(assets) };
  const router = express.Router();

  router.get(options.endpoint, (req, res, next) => {
    res.vary('Accept');
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    const nonce = randomBytes(16).toString('base64');
    res.status(200).set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': playgroundContentSecurityPolicy(nonce),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
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

function sendAsset(res: Response, asset: PlaygroundAsset, next: NextFunction): void {
  res.setHeader('Content-Type', asset.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.sendFile(asset.file, { maxAge: ONE_YEAR_MS, immutable: true, dotfiles: 'deny' }, (error) => {
    if (error && !res.headersSent) next(error);
  });
}

/** Resolved once, through each package's own manifest, so hoisting or a nested install just works. */
function resolvePlaygroundAssets(): ReadonlyMap<string, PlaygroundAsset> {
  const graphiql = resolvePackage('graphiql');
  const react = resolvePackage('react');
  const reactDom = resolvePackage('react-dom');
  const entries: [string, PlaygroundAsset][] = [
    ['graphiql.min.js', packageAsset(graphiql, 'graphiql.min.js', JAVASCRIPT)],
    ['graphiql.min.css', packageAsset(graphiql, 'graphiql.min.css', CSS)],
    ['react.production.min.js', packageAsset(react, 'umd/react.production.min.js', JAVASCRIPT)],
    ['react-dom.production.min.js', packageAsset(reactDom, 'umd/react-dom.production.min.js', JAVASCRIPT)],
  ];
  return new Map(entries);
}

interface ResolvedPackage {
  readonly dir: string;
  readonly version: string;
}

function resolvePackage(name: string): ResolvedPackage {
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

function packageAsset(pkg: ResolvedPackage, relative: string, contentType: string): PlaygroundAsset {
  const file = path.join(pkg.dir, relative);
  if (!existsSync(file)) throw new Error(`Playground asset ${file} is missing; reinstall dependencies`);
  return { file, contentType, version: pkg.version };
}

function assetUrls(assets: ReadonlyMap<string, PlaygroundAsset>): PlaygroundAssetUrls {
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
