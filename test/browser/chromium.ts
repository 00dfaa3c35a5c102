import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: the browser tests never download one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** Why the browser tests cannot run here (for `t.skip`), or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is missing; install it with: apt-get update && apt-get install -y chromium`;
}

/**
 * Headless Chromium. Playwright itself adds a fresh temporary `--user-data-dir` to every
 * non-persistent launch (and refuses one among the args), so each launch starts from a clean profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** What a page did that a test forbids: requests to another origin (aborted, never sent) and errors. */
export interface PageWatch {
  /** Requests (and WebSocket connections) to anything but the page's own origin. */
  readonly foreignRequests: string[];
  /** Console errors, uncaught page errors and failed requests. */
  readonly errors: string[];
}

/** Records and blocks every request of `context` whose origin is not `origin`'s. */
async function guardOrigin(context: BrowserContext, origin: URL): Promise<string[]> {
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (sameOrigin(url, origin)) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  return foreign;
}

/** Errors of `page`, and its WebSocket connections to another origin (routes do not see WebSockets). */
function watchPage(page: Page, origin: URL, foreignRequests: string[]): PageWatch {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
  page.on('websocket', (socket) => {
    if (!sameOrigin(socket.url(), origin)) foreignRequests.push(socket.url());
  });
  return { foreignRequests, errors };
}

/** A page in a fresh context of `browser` that may talk to `origin` only, watched for errors (60 s waits: CI is slow). */
export async function openGuardedPage(browser: Browser, origin: URL, viewport: { width: number; height: number }): Promise<{ page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ viewport });
  const foreign = await guardOrigin(context, origin);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  return { page, watch: watchPage(page, origin, foreign) };
}

/** Same scheme (ws for http, wss for https), host and port; `data:` and `about:` are the page's own. */
function sameOrigin(url: string, origin: URL): boolean {
  const parsed = new URL(url);
  if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return true;
  const scheme = parsed.protocol.replace(/^ws(s?):$/, 'http$1:');
  return scheme === origin.protocol && parsed.host === origin.host;
}

/** A fresh folder under the OS temp dir for a test's screenshots. */
export function artifactPath(prefix: string, file: string): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), `lakegate-${prefix}-`)), file);
}
