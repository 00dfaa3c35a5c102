import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CSS, JAVASCRIPT, packageAsset, resolvePackage, type StaticAsset } from '../static-assets';

/** Every dashboard file is served under `<prefix>/<version>/<name>`. */
export const DASHBOARD_ASSET_PREFIX = '/dashboard/assets';

/**
 * The dashboard's own browser code: plain JavaScript modules and CSS kept beside this file, copied
 * into dist by the build (`scripts/copy-browser-assets.mjs`). Listed by hand: nothing else in the
 * folder is ever served.
 */
const OWN_FILES: readonly string[] = [
  'dashboard.css',
  'main.mjs', 'session.mjs', 'api.mjs', 'live.mjs', 'kpi-view.mjs', 'tile.mjs', 'chart.mjs', 'series.mjs', 'format.mjs', 'alerts.mjs', 'dom.mjs',
];

export interface DashboardAssets {
  /** Changes whenever any file changes; it is a path segment, so the modules' relative imports carry it too. */
  readonly version: string;
  readonly files: ReadonlyMap<string, StaticAsset>;
  url(name: string): string;
}

export function resolveDashboardAssets(ownDir = path.join(__dirname, 'assets')): DashboardAssets {
  const uplot = resolvePackage('uplot');
  const graphqlWs = resolvePackage('graphql-ws');
  const files = new Map<string, StaticAsset>([
    ['uPlot.iife.min.js', packageAsset(uplot, 'dist/uPlot.iife.min.js', JAVASCRIPT)],
    ['uPlot.min.css', packageAsset(uplot, 'dist/uPlot.min.css', CSS)],
    ['graphql-ws.min.js', packageAsset(graphqlWs, 'umd/graphql-ws.min.js', JAVASCRIPT)],
    ...OWN_FILES.map((name) => [name, ownAsset(ownDir, name)] as const),
  ]);
  const version = contentVersion(files);
  return {
    version,
    files,
    url: (name) => {
      if (!files.has(name)) throw new Error(`Unknown dashboard asset ${name}`);
      return `${DASHBOARD_ASSET_PREFIX}/${version}/${name}`;
    },
  };
}

function ownAsset(dir: string, name: string): StaticAsset {
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new Error(`Dashboard asset ${file} is missing; run npm run build`);
  return { file, contentType: name.endsWith('.css') ? CSS : JAVASCRIPT };
}

/** A digest of every file: read once at start-up (a few hundred kilobytes). */
function contentVersion(files: ReadonlyMap<string, StaticAsset>): string {
  const hash = createHash('sha256');
  for (const [name, asset] of files) hash.update(name).update('\0').update(readFileSync(asset.file)).update('\0');
  return hash.digest('base64url').slice(0, 16);
}
