import type { Browser, Page, Request } from 'playwright-core';
import { artifactPath, launchChromium } from './chromium';

export interface PlaygroundCheckOptions {
  /** Path of the page, relative to baseUrl. Default `/graphql`. */
  readonly pagePath?: string;
  /** Where the screenshot goes. Default: a fresh temp directory. */
  readonly screenshotPath?: string;
  readonly timeoutMs?: number;
}

export interface PlaygroundCheckResult {
  readonly title: string;
  /** Text of the token banner above GraphiQL. */
  readonly bannerText: string;
  /** What the headers editor held before the check replaced it. */
  readonly initialHeaders: string;
  /** The result pane's text after running the default query, and its JSON. */
  readonly resultText: string;
  readonly result: unknown;
  /** Authorization header of every POST the page sent to the endpoint (introspection included). */
  readonly sentAuthorizations: readonly (string | undefined)[];
  /** Requests to any host other than the page's own or a loopback one; they are aborted, never sent. */
  readonly externalRequests: readonly string[];
  /** Console errors, uncaught page errors and failed requests. */
  readonly consoleErrors: readonly string[];
  readonly screenshotPath: string;
}

/**
 * Opens the playground in headless Chromium, puts `token` in the headers editor, runs the default
 * query with the execute button and waits for a JSON result. Every request leaving for a host other
 * than the page's own (or loopback) is recorded and blocked.
 */
export async function runPlaygroundBrowserCheck(
  baseUrl: string,
  token: string,
  options: PlaygroundCheckOptions = {},
): Promise<PlaygroundCheckResult> {
  const timeout = options.timeoutMs ?? 30_000;
  const browser = await launchChromium();
  try {
    return await checkInBrowser(browser, new URL(options.pagePath ?? '/graphql', baseUrl), token, {
      timeout,
      screenshotPath: options.screenshotPath ?? artifactPath('playground', 'playground.png'),
    });
  } finally {
    await browser.close();
  }
}

interface CheckSettings {
  readonly timeout: number;
  readonly screenshotPath: string;
}

async function checkInBrowser(browser: Browser, pageUrl: URL, token: string, settings: CheckSettings): Promise<PlaygroundCheckResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const externalRequests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocalUrl(url, pageUrl)) return route.continue();
    externalRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(settings.timeout);
  const consoleErrors = recordErrors(page);
  const sentAuthorizations: (string | undefined)[] = [];
  page.on('request', (req: Request) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === pageUrl.pathname) sentAuthorizations.push(req.headers()['authorization']);
  });

  await page.goto(pageUrl.href, { waitUntil: 'load' });
  const headerEditor = page.locator('section.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').last();
  await headerEditor.waitFor({ state: 'visible' });
  await page.locator('section.graphiql-query-editor .CodeMirror').waitFor({ state: 'visible' });
  const initialHeaders = await readEditor(page, 'section.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
  // The page loads the schema once a token is present; let that settle before running.
  const introspection = page.waitForResponse((res) => res.request().method() === 'POST' && res.request().postData()?.includes('IntrospectionQuery') === true);
  await setHeaders(page, JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2));
  await introspection;
  await page.locator('.graphiql-execute-button').click();
  const resultText = await waitForResult(page, settings.timeout);
  await page.screenshot({ path: settings.screenshotPath });
  await exerciseDialog(page);
  return {
    title: await page.title(),
    bannerText: (await page.locator('#lakegate-token-hint').innerText()).replace(/\s+/g, ' ').trim(),
    initialHeaders,
    resultText,
    result: JSON.parse(resultText) as unknown,
    sentAuthorizations,
    externalRequests,
    consoleErrors,
    screenshotPath: settings.screenshotPath,
  };
}

function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? 'unknown'})`));
  return errors;
}

async function readEditor(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}

/** Replaces the headers editor's text the way a paste would: one CodeMirror change event. */
async function setHeaders(page: Page, text: string): Promise<void> {
  await page.$eval(
    'section.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror',
    (el, value) => (el as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(value),
    text,
  );
}

/** Waits until the result pane holds a complete JSON document, and returns its text. */
async function waitForResult(page: Page, timeout: number): Promise<string> {
  const handle = await page.waitForFunction(() => {
    const el = document.querySelector('section.result-window .CodeMirror') as unknown as { CodeMirror?: { getValue(): string } } | null;
    const text = el?.CodeMirror?.getValue() ?? '';
    if (!text.trim()) return null;
    try {
      JSON.parse(text);
      return text;
    } catch {
      return null;
    }
  }, undefined, { timeout });
  return (await handle.jsonValue()) as string;
}

/** Opens and closes the settings dialog: its scroll lock injects a <style> that the CSP must admit. */
async function exerciseDialog(page: Page): Promise<void> {
  await page.locator('button[aria-label="Open settings dialog"]').click();
  await page.locator('[role="dialog"]').waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
}

function isLocalUrl(url: string, pageUrl: URL): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return true;
  return parsed.host === pageUrl.host || ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
}
