import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PAGE_TOKEN_TTL_SECONDS } from '../../src/auth/local-sign-in';
import { startTestApp, type TestApp } from '../support/app';
import { withKpiSettings } from '../support/cached-app';
import { appendTransactionsDay, createTestLake, type TestLake } from '../support/lake';
import { artifactPath, chromiumMissing, launchChromium, openGuardedPage, type PageWatch } from './chromium';

/**
 * The dashboard in Chromium against the real server in local mode, on a lake of its own (a test
 * appends to it) with KPIs fresh for half a second: tiles per role, a value that follows new data,
 * the phone layout, and nothing loaded from another origin, no console error.
 */
const missing = chromiumMissing();
const FRESHNESS_MS = 500;
let lake: TestLake;
let app: TestApp;
let browser: Browser;
let origin: URL;

before(async () => {
  if (missing) return;
  lake = await createTestLake(800, 3);
  app = await startTestApp({ lake, localMode: true, configure: withKpiSettings(() => ({ freshnessMs: FRESHNESS_MS })) });
  origin = new URL(await app.lakegate.listen(0, '127.0.0.1'));
  browser = await launchChromium();
});

after(async () => {
  if (missing) return;
  await browser?.close();
  await app?.close();
  lake?.remove();
});

/** The dashboard signed in as `role` at that viewport, once its status says it is done loading. */
async function openDashboard(role: string, viewport: { width: number; height: number }, prepare?: (page: Page) => Promise<void>): Promise<{ page: Page; watch: PageWatch }> {
  const { page, watch } = await openGuardedPage(browser, origin, viewport);
  await prepare?.(page);
  await page.goto(new URL(`/dashboard?role=${role}`, origin).href);
  await page.locator('#status').filter({ hasText: /live\.|no KPI/ }).waitFor();
  return { page, watch };
}

/** Closes the page, then: nothing went to another origin, nothing went wrong in the console. */
async function closeClean(page: Page, watch: PageWatch): Promise<void> {
  await page.context().close();
  assert.deepEqual(watch.foreignRequests, [], 'no request left the server\'s origin');
  assert.deepEqual(watch.errors, [], 'no console error, CSP violation or failed request');
}

const valueOf = (page: Page, kpi: string) => page.locator(`[data-kpi="${kpi}"] [data-role="value"]`);

async function shownValue(page: Page, kpi: string): Promise<string> {
  await page.waitForFunction((selector) => !['', '…'].includes(document.querySelector(selector)?.textContent ?? ''), `[data-kpi="${kpi}"] [data-role="value"]`);
  return valueOf(page, kpi).innerText();
}

test('as analyst the dashboard shows a revenue tile, and its value follows a partition appended to the lake', { skip: missing ?? false, timeout: 180_000 }, async (t) => {
  const { page, watch } = await openDashboard('analyst', { width: 1280, height: 800 });
  const tile = page.locator('[data-kpi="revenue"]');
  await tile.waitFor();
  const before = await shownValue(page, 'revenue');
  assert.match(await tile.locator('.unit').innerText(), /mixed currency/);
  assert.match(await tile.locator('.change').innerText(), /vs previous period|no previous period/);
  assert.ok(await tile.locator('.chart canvas').count() > 0, 'the chart is drawn');
  const unlabelled = await page.$$eval('select', (selects) => selects.filter((select) => !(select as HTMLSelectElement).labels?.length).length);
  assert.equal(unlabelled, 0, 'every picker has a label');
  const screenshot = artifactPath('dashboard', 'dashboard-analyst.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  t.diagnostic(`screenshot: ${screenshot}`);
  assert.ok(statSync(screenshot).size > 10_000, 'a real screenshot was taken');

  // The latest hour of the new day holds three copies of the last day's rows: the value changes.
  await appendTransactionsDay(lake.dir, '2024-03-31', '2024-04-01', 3);
  await page.waitForFunction(({ selector, old }) => {
    const text = document.querySelector(selector)?.textContent ?? '';
    return text !== old && text !== '…';
  }, { selector: '[data-kpi="revenue"] [data-role="value"]', old: before }, { timeout: 60_000 });
  assert.match(await tile.locator('.bucket').innerText(), /2024-04-01/);
  t.diagnostic(`revenue, latest hour: ${before} → ${await valueOf(page, 'revenue').innerText()}`);

  // A breakdown draws one line per dimension value.
  const orders = page.locator('[data-kpi="orders"]');
  await orders.getByLabel('Grain').selectOption('DAY');
  await orders.getByLabel('Breakdown').selectOption('CHANNEL');
  await orders.locator('.u-legend .u-label', { hasText: 'web' }).waitFor();
  const labels = await orders.locator('.u-legend .u-label').allInnerTexts();
  assert.ok(['web', 'app'].every((channel) => labels.includes(channel)), `one line per channel: ${labels.join(', ')}`);
  await closeClean(page, watch);
});

test('as guest the dashboard shows no tile', { skip: missing ?? false, timeout: 120_000 }, async () => {
  const { page, watch } = await openDashboard('guest', { width: 1280, height: 800 });
  assert.match(await page.locator('#status').innerText(), /guest.*no KPI/);
  assert.equal(await page.locator('[data-kpi]').count(), 0);
  await closeClean(page, watch);
});

test('at phone width the tiles stack and nothing overflows horizontally', { skip: missing ?? false, timeout: 120_000 }, async (t) => {
  const { page, watch } = await openDashboard('analyst', { width: 390, height: 844 });
  await shownValue(page, 'revenue');
  await page.locator('[data-kpi] .chart canvas').first().waitFor();
  const boxes = await page.$$eval('[data-kpi]', (tiles) => tiles.map((tile) => tile.getBoundingClientRect().toJSON() as DOMRect));
  assert.ok(boxes.length >= 2, `several tiles (${boxes.length})`);
  assert.ok(boxes.every((box) => box.left === boxes[0]!.left), 'one column');
  assert.ok(boxes.every((box, i) => i === 0 || box.top >= boxes[i - 1]!.bottom), 'each tile below the one before');
  assert.ok(boxes.every((box) => box.right <= 390), 'tiles fit the screen');
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(widths.scroll <= widths.client, `no horizontal overflow (${widths.scroll} > ${widths.client})`);
  const screenshot = artifactPath('dashboard', 'dashboard-phone.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  t.diagnostic(`screenshot: ${screenshot}`);
  await closeClean(page, watch);
});

test('the page renews its dev token a minute before it runs out, and the live connection moves to the new one', { skip: missing ?? false, timeout: 120_000 }, async () => {
  const tokenRequests: string[] = [];
  const { page, watch } = await openDashboard('analyst', { width: 1280, height: 800 }, async (page) => {
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/dev-token') tokenRequests.push(req.method());
    });
    await page.clock.install();
  });
  await shownValue(page, 'revenue');
  assert.deepEqual(tokenRequests, ['POST'], 'one token to start with');

  // The page's clock jumps to thirty seconds before expiry: past the renewal point.
  const reconnected = page.waitForEvent('websocket');
  await page.clock.fastForward((PAGE_TOKEN_TTL_SECONDS - 30) * 1000);
  const socket = await reconnected;
  await socket.waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('"type":"next"') });
  assert.deepEqual(tokenRequests, ['POST', 'POST'], 'one renewal');
  assert.match(await page.locator('#status').innerText(), /live\./);
  await closeClean(page, watch);
});
