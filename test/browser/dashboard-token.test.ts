import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp } from '../support/app';
import { chromiumMissing, launchChromium, openGuardedPage } from './chromium';

const missing = chromiumMissing();

test('outside local mode the dashboard asks for a token, keeps it for the tab, and forgets it on request', { skip: missing ?? false, timeout: 180_000 }, async () => {
  // The test app's LAKEGATE_JWT_SECRET is a real secret: no role sign-in.
  const app = await startTestApp({ rows: 500 });
  const browser = await launchChromium();
  try {
    const origin = new URL(await app.lakegate.listen(0, '127.0.0.1'));
    const { page, watch } = await openGuardedPage(browser, origin, { width: 1280, height: 800 });

    assert.equal((await fetch(new URL('/dashboard?role=analyst', origin))).status, 404, 'no role sign-in');
    await page.goto(new URL('/dashboard', origin).href);
    await page.locator('#status').filter({ hasText: /Paste a bearer token/ }).waitFor();
    assert.equal(await page.locator('nav.roles').count(), 0);
    await page.getByLabel('Bearer token').fill(`Bearer ${app.token('analyst')}`);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('#status').filter({ hasText: /your token: \d+ KPIs, live\./ }).waitFor();
    await page.locator('[data-kpi="revenue"]').waitFor();
    assert.ok(!page.url().includes(app.token('analyst').split('.')[0]!), 'the token never enters the address');

    await page.reload();
    await page.locator('[data-kpi="revenue"]').waitFor();
    await page.getByRole('button', { name: 'Forget token' }).click();
    await page.locator('#status').filter({ hasText: /Paste a bearer token/ }).waitFor();
    assert.equal(await page.locator('[data-kpi]').count(), 0);
    await page.context().close();
    assert.deepEqual(watch.foreignRequests, []);
    assert.deepEqual(watch.errors, []);
  } finally {
    await browser.close();
    await app.close();
  }
});
