import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { startTestApp } from '../support/app';
import { chromiumMissing } from './chromium';
import { runPlaygroundBrowserCheck } from './playground-check';

test('the playground runs the example query against the real server in Chromium, offline', { timeout: 120_000 }, async (t) => {
  const missing = chromiumMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const app = await startTestApp();
  try {
    const baseUrl = await app.lakegate.listen(0, '127.0.0.1');
    const token = app.token('analyst');
    const check = await runPlaygroundBrowserCheck(baseUrl, token);
    t.diagnostic(`screenshot: ${check.screenshotPath}`);
    assert.equal(check.title, 'Lakegate playground');
    assert.match(check.bannerText, /npm run token -- --role analyst/);
    assert.match(check.initialHeaders, /"Authorization": "Bearer <paste the output of npm run token -- --role analyst>"/);
    const result = check.result as { data: { transactions: { amount: string; customer: { name: string } | null }[] } };
    assert.equal(result.data.transactions.length, 5, check.resultText);
    assert.ok(result.data.transactions.every((row) => /^\d+\.\d{2}$/.test(row.amount) && row.customer !== null));
    assert.ok(check.sentAuthorizations.length >= 2, 'introspection and the query were sent');
    assert.ok(check.sentAuthorizations.every((value) => value === `Bearer ${token}`), 'every request carried the token');
    assert.deepEqual(check.externalRequests, [], 'no request to another host');
    assert.deepEqual(check.consoleErrors, [], 'no console error, CSP violation or failed request');
    assert.ok(statSync(check.screenshotPath).size > 10_000, 'a real screenshot was taken');
  } finally {
    await app.close();
  }
});
