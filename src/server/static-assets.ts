import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NextFunction, Response } from 'express';

/** A file a page may load: served only by name from a whitelist, never by a path from the request. */
export interface StaticAsset {
  readonly file: string;
  readonly contentType: string;
}

export interface PackageAsset extends StaticAsset {
  /** Package version, for a URL that an upgrade changes (so the long cache never hides it). */
  readonly version: string;
}

export const JAVASCRIPT = 'text/javascript; charset=utf-8';
export const CSS = 'text/css; charset=utf-8';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export interface ResolvedPackage {
  readonly dir: string;
  readonly version: string;
}

/** Resolved through the package's own manifest, so hoisting or a nested install just works. */
export function resolvePackage(name: string): ResolvedPackage {
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

/** A file of an installed package; a missing one stops start-up rather than breaking a page later. */
export function packageAsset(pkg: ResolvedPackage, relative: string, contentType: string): PackageAsset {
  const file = path.join(pkg.dir, relative);
  if (!existsSync(file)) throw new Error(`Page asset ${file} is missing; reinstall dependencies`);
  return { file, contentType, version: pkg.version };
}

/** `immutable` only for a URL that names the asset's current version: anything else must be revalidated. */
export function sendAsset(res: Response, asset: StaticAsset, next: NextFunction, immutable = true): void {
  res.setHeader('Content-Type', asset.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const cache = immutable ? { maxAge: ONE_YEAR_MS, immutable: true } : { cacheControl: false };
  if (!immutable) res.setHeader('Cache-Control', 'no-cache');
  res.sendFile(asset.file, { ...cache, dotfiles: 'deny' }, (error) => {
    if (error && !res.headersSent) next(error);
  });
}
