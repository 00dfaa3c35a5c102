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
}

export const PLAYGROUND_TITLE = 'Lakegate playground';

/** What the headers editor holds on first visit: the header to send, with a placeholder token. */
export function placeholderHeaders(tokenHint: string): string {
  return JSON.stringify({ Authorization: `Bearer <paste the output of ${tokenHint}>` }, null, 2);
}

/**
 * The bootstrap script. It is constant (the per-page values travel in a JSON data block), so it
 * never interpolates user-controlled text. It hands its CSP nonce to the style singleton GraphiQL's
 * dialogs use (`__webpack_nonce__`), and asks for the schema only once the headers hold a real
 * bearer token, so a first visit does not fire an introspection that can only answer 401.
 */
const BOOTSTRAP_SCRIPT = `
(function () {
  'use strict';
  window.__webpack_nonce__ = document.currentScript.nonce;
  var config = JSON.parse(document.getElementById('lakegate-playground-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  function hasBearerToken(text) {
    try {
      var headers = JSON.parse(text);
      if (!headers || typeof headers !== 'object') return false;
      var name = Object.keys(headers).find(function (key) { return key.toLowerCase() === 'authorization'; });
      return !!name && typeof headers[name] === 'string' && /^Bearer\\s+[^\\s<>]+$/.test(headers[name].trim());
    } catch (error) {
      return false;
    }
  }
  var withSchema = hasBearerToken(config.headers);
  function onEditHeaders(text) {
    var next = hasBearerToken(text);
    if (next !== withSchema) {
      withSchema = next;
      render();
    }
  }
  function render() {
    root.render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.defaultQuery,
      defaultHeaders: config.headers,
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      schema: withSchema ? undefined : null,
      onEditHeaders: onEditHeaders
    }));
  }
  render();
})();
`;

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
#graphiql { flex: 1; min-height: 0; }
`;

/** A fresh nonce per response; the page is rendered per request (it is a few kilobytes). */
export function renderPlaygroundHtml(options: PlaygroundPageOptions, nonce: string): string {
  const { assets } = options;
  const config = {
    endpoint: options.endpoint,
    defaultQuery: options.defaultQuery,
    headers: placeholderHeaders(options.tokenHint),
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
<div id="graphiql">Loading the playground…</div>
<noscript>The playground needs JavaScript. GraphQL clients can POST to ${escapeHtml(options.endpoint)}.</noscript>
<script type="application/json" id="lakegate-playground-config">${serializeJsonForScript(config)}</script>
<script nonce="${nonce}" src="${escapeHtml(assets.react)}"></script>
<script nonce="${nonce}" src="${escapeHtml(assets.reactDom)}"></script>
<script nonce="${nonce}" src="${escapeHtml(assets.graphiqlJs)}"></script>
<script nonce="${nonce}">${BOOTSTRAP_SCRIPT}</script>
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

/**
 * The policy for the page: nothing by default; scripts and styles only from this origin or
 * carrying this response's nonce; requests only to this origin. GraphiQL 3 needs no
 * 'unsafe-eval' and no 'unsafe-inline'. `data:` serves the fonts and icons embedded in
 * graphiql.min.css (and the empty favicon); nothing is loaded from another host.
 */
export function playgroundContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that cannot close its <script> element or open an HTML comment inside it. */
function serializeJsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
