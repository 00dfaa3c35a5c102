import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../support/app';
import { chromiumMissing, launchChromium, openGuardedPage } from './chromium';

const missing = chromiumMissing();
const QUERY_EDITOR = 'section.graphiql-query-editor .CodeMirror';

/** Clicks a role button, waits for the schema GraphiQL fetches with its token, and returns that request's Authorization. */
async function exploreAs(page: Page, role: string): Promise<string | undefined> {
  const introspection = page.waitForResponse((res) => res.request().postData()?.includes('IntrospectionQuery') === true);
  await page.getByRole('button', { name: role, exact: true }).click();
  const response = await introspection;
  assert.equal(response.status(), 200);
  await page.locator('#lakegate-role-status').filter({ hasText: `Exploring as ${role}` }).waitFor();
  return response.request().headers()['authorization'];
}

/** What GraphiQL's autocompletion offers after typing `text` into an empty query editor. */
async function completions(page: Page, text: string): Promise<string[]> {
  await page.$eval(QUERY_EDITOR, (el) => (el as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(''));
  await page.locator(`${QUERY_EDITOR} textarea`).focus();
  await page.keyboard.type(text);
  await page.locator('.CodeMirror-hints .CodeMirror-hint').first().waitFor();
  const offered = await page.locator('.CodeMirror-hints .CodeMirror-hint').allInnerTexts();
  await page.keyboard.press('Escape');
  await page.locator('.CodeMirror-hints').waitFor({ state: 'detached' });
  return offered;
}

test('in local mode the playground\'s role picker switches the token and the schema autocompletion offers', { skip: missing ?? false, timeout: 180_000 }, async () => {
  const app = await startTestApp({ rows: 500, localMode: true });
  const browser = await launchChromium();
  try {
    const origin = new URL(await app.lakegate.listen(0, '127.0.0.1'));
    const { page, watch } = await openGuardedPage(browser, origin, { width: 1280, height: 800 });
    await page.goto(new URL('/graphql', origin).href);
    await page.locator(QUERY_EDITOR).waitFor();

    const hrToken = await exploreAs(page, 'hr');
    assert.match(hrToken ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok((await completions(page, '{ e')).includes('employees'), 'hr is offered employees');
    const analystToken = await exploreAs(page, 'analyst');
    assert.notEqual(analystToken, hrToken);
    const offered = await completions(page, '{ e');
    assert.ok(offered.includes('events') && !offered.includes('employees'), `analyst is offered its fields only: ${offered.join(', ')}`);
    assert.equal(await page.getByRole('button', { name: 'analyst', exact: true }).getAttribute('aria-pressed'), 'true');

    await page.context().close();
    assert.deepEqual(watch.foreignRequests, []);
    assert.deepEqual(watch.errors, []);
  } finally {
    await browser.close();
    await app.close();
  }
});
