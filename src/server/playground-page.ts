import { escapeHtml, serializeJsonForScript } from './html';
import { PLAYGROUND_BOOTSTRAP_SCRIPT } from './playground-bootstrap';

/**
 * The GraphiQL playground page: one small HTML document, its inline bootstrap script and the
 * Content-Security-Policy that lets exactly that script (by nonce) and our own assets run.
 * No external host is named anywhere: React, ReactDOM and GraphiQL come from /playground/.
 */

export interface PlaygroundAssetUrls {
  readonly graphiqlCss: string;
  readonly react: string;
  readonly reactDom: string;
  readonly graphiqlJs: string;
}

export interface PlaygroundPageOptions {
  /** Same-origin path the page sends GraphQL requests to, e.g. `/graphql`. */
  readonly endpoint: string;
  readonly defaultQuery: string;
  /** The command that prints a token, e.g. `npm run token -- --role analyst`. */
  readonly tokenHint: string;
  readonly assets: PlaygroundAssetUrls;
  /** Local mode: one button per dev role, each fetching a token from `tokenUrl`. Null otherwise. */
  readonly signIn: PlaygroundSignIn | null;
}

export interface PlaygroundSignIn {
  readonly roles: readonly string[];
  readonly tokenUrl: string;
}

export const PLAYGROUND_TITLE = 'Lakegate playground';

/** What the headers editor holds on first visit: the header to send, with a placeholder token. */
export function placeholderHeaders(tokenHint: string): string {
  return JSON.stringify({ Authorization: `Bearer <paste the output of ${tokenHint}>` }, null, 2);
}

const PAGE_STYLE = `
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
.lakegate-banner {
  padding: 8px 16px; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #3d3200; background: #fff4cc; border-bottom: 1px solid #e6d28a;
}
.lakegate-banner code {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px;
  padding: 1px 4px; border-radius: 3px; background: rgba(0, 0, 0, 0.07);
}
.lakegate-roles {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 6px 16px;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: #eef4ff; border-bottom: 1px solid #c8d7f2;
}
.lakegate-roles button { font: inherit; padding: 2px 10px; border: 1px solid #7d97c4; border-radius: 12px; background: #fff; cursor: pointer; }
.lakegate-roles button[aria-pressed="true"] { background: #2452a3; border-color: #2452a3; color: #fff; }
#graphiql { flex: 1; min-height: 0; }
`;

/** A fresh nonce per response; the page is rendered per request (it is a few kilobytes). */
export function renderPlaygroundHtml(options: PlaygroundPageOptions, nonce: string): string {
  const { assets } = options;
  const config = {
    endpoint: options.endpoint,
    defaultQuery: options.defaultQuery,
    headers: placeholderHeaders(options.tokenHint),
    signIn: options.signIn ? { tokenUrl: options.signIn.tokenUrl } : null,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${PLAYGROUND_TITLE}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(assets.graphiqlCss)}">
<style nonce="${nonce}">${PAGE_STYLE}</style>
</head>
<body>
${renderBanner(options.tokenHint)}
${options.signIn ? renderRoleButtons(options.signIn.roles) : ''}
<div id="graphiql">Loading the playground…</div>
<noscript>The playground needs JavaScript. GraphQL clients can POST to ${escapeHtml(options.endpoint)}.</noscript>
<script type="application/json" id="lakegate-playground-config">${serializeJsonForScript(config)}</script>
<script nonce="${nonce}" src="${escapeHtml(assets.react)}"></script>
<script nonce="${nonce}" src="${escapeHtml(assets.reactDom)}"></script>
<script nonce="${nonce}" src="${escapeHtml(assets.graphiqlJs)}"></script>
<script nonce="${nonce}">${PLAYGROUND_BOOTSTRAP_SCRIPT}</script>
</body>
</html>
`;
}

function renderBanner(tokenHint: string): string {
  const hint = escapeHtml(tokenHint);
  return `<div class="lakegate-banner" role="note" id="lakegate-token-hint">
<strong>Every request needs a bearer token.</strong>
Run <code>${hint}</code> and paste its output into the <strong>Headers</strong> tab below,
in place of <code>&lt;paste the output of ${hint}&gt;</code> (keep <code>Bearer </code> in front).
The schema (autocomplete, docs) loads as soon as a token is there.
</div>`;
}

/** Local mode: one click explores the schema as a sample role (the script fetches its token). */
function renderRoleButtons(roles: readonly string[]): string {
  const buttons = roles.map((role) => `<button type="button" data-dev-role="${escapeHtml(role)}" aria-pressed="false">${escapeHtml(role)}</button>`);
  return `<div class="lakegate-roles" role="group" aria-labelledby="lakegate-roles-title">
<span id="lakegate-roles-title">Local mode — explore as:</span> ${buttons.join(' ')}
<span id="lakegate-role-status" role="status" aria-live="polite"></span>
</div>`;
}
