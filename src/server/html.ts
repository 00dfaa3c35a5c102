/** Escaping for the server-rendered pages: text into HTML, values into an inline JSON data block. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that cannot close its <script> element or open an HTML comment inside it. */
export function serializeJsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The headers every server-rendered page carries besides its own Content-Security-Policy. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The policy of a server-rendered page: nothing by default; scripts and styles only from this
 * origin or carrying this response's nonce; requests only to this origin (graphql-ws included);
 * `data:` images (the empty favicon, icons in stylesheets) and, with `dataFonts`, fonts embedded
 * in a stylesheet (graphiql.min.css). Nothing is loaded from another host; no 'unsafe-eval' or
 * 'unsafe-inline'.
 */
export function pageContentSecurityPolicy(nonce: string, options: { readonly dataFonts: boolean }): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    ...(options.dataFonts ? ["font-src 'self' data:"] : []),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
