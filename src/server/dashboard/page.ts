import { escapeHtml, serializeJsonForScript } from '../html';
import type { DashboardAssets } from './assets';

/**
 * The dashboard page: a static shell (header, sign-in, tile area, alert list) that the modules
 * under /dashboard/assets/ fill in. No inline script runs: the per-page values travel in a JSON
 * data block, and every script element carries the response's nonce.
 */

export const DASHBOARD_TITLE = 'Lakegate dashboard';

/** Local mode: the dev roles to sign in as, and the one this page is signed in as (null: none chosen yet). */
export interface DashboardSignIn {
  readonly roles: readonly string[];
  readonly role: string | null;
  readonly tokenUrl: string;
}

export interface DashboardPageOptions {
  /** Same-origin GraphQL path, for HTTP and graphql-ws alike. */
  readonly endpoint: string;
  /** Null outside local mode: the page asks for a token instead. */
  readonly signIn: DashboardSignIn | null;
  readonly assets: DashboardAssets;
  /** The page's own path, for the sign-in links. */
  readonly path: string;
}

export function renderDashboardHtml(options: DashboardPageOptions, nonce: string): string {
  const { assets, signIn } = options;
  const config = { endpoint: options.endpoint, signIn: signIn ? { role: signIn.role, tokenUrl: signIn.tokenUrl } : null };
  const src = (name: string): string => escapeHtml(assets.url(name));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${DASHBOARD_TITLE}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${src('uPlot.min.css')}">
<link rel="stylesheet" href="${src('dashboard.css')}">
</head>
<body>
<header class="bar">
<h1>${DASHBOARD_TITLE}</h1>
${signIn ? renderRolePicker(signIn, options.path) : renderTokenForm()}
<p id="status" class="status" role="status" aria-live="polite"></p>
</header>
<main class="layout">
<section id="tiles" class="tiles" aria-label="KPIs"></section>
<aside class="alerts" aria-labelledby="alerts-title">
<h2 id="alerts-title">Alerts</h2>
<p id="alerts-empty" class="muted">No threshold crossed since the page opened.</p>
<ol id="alerts" class="alert-list"></ol>
</aside>
</main>
<noscript>The dashboard needs JavaScript. GraphQL clients can POST to ${escapeHtml(options.endpoint)}.</noscript>
<script type="application/json" id="dashboard-config">${serializeJsonForScript(config)}</script>
<script nonce="${nonce}" src="${src('uPlot.iife.min.js')}"></script>
<script nonce="${nonce}" src="${src('graphql-ws.min.js')}"></script>
<script nonce="${nonce}" type="module" src="${src('main.mjs')}"></script>
</body>
</html>
`;
}

/** Plain links: one click signs in, the address names the role, and no script is needed to pick. */
function renderRolePicker(signIn: DashboardSignIn, path: string): string {
  const links = signIn.roles.map((role) => {
    const current = role === signIn.role ? ' aria-current="page"' : '';
    return `<li><a href="${escapeHtml(`${path}?role=${encodeURIComponent(role)}`)}"${current}>${escapeHtml(role)}</a></li>`;
  });
  return `<nav class="roles" aria-labelledby="roles-title">
<span id="roles-title" class="roles-title">Sign in as (local mode)</span>
<ul>${links.join('')}</ul>
</nav>`;
}

/**
 * Outside local mode the caller brings a token. POST, and a CSP without form targets, so that even
 * if the script never ran, a submitted token could not end up in an address (or a log).
 */
function renderTokenForm(): string {
  return `<form id="token-form" class="token-form" method="post" autocomplete="off">
<label for="token-input">Bearer token</label>
<input id="token-input" name="token" type="password" required spellcheck="false" autocomplete="off">
<button type="submit">Use token</button>
<button type="button" id="token-forget">Forget token</button>
</form>`;
}
