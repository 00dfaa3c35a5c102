import assert from 'node:assert/strict';
import { test } from 'node:test';
import express from 'express';
import request from 'supertest';
import type { LocalSignIn } from '../../src/auth/local-sign-in';
import { createDashboardRouter } from '../../src/server/dashboard/router';

const signIn: LocalSignIn = {
  roles: ['analyst', 'hr', '<img src=x onerror=alert(1)>'],
  mint: () => null,
};

function createApp(local: LocalSignIn | null): express.Express {
  const app = express();
  app.use(createDashboardRouter({ endpoint: '/graphql', signIn: local, tokenUrl: '/dev-token' }));
  return app;
}

/** Every URL the page loads (scripts, styles, icons): none may leave `/dashboard/assets/`. */
function loadedUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
}

test('/dashboard answers HTML under a nonce CSP that loads only our assets', async () => {
  const app = createApp(null);
  const first = await request(app).get('/dashboard');
  const second = await request(app).get('/dashboard');
  assert.equal(first.status, 200);
  assert.match(first.headers['content-type'] ?? '', /^text\/html; charset=utf-8/);
  assert.equal(first.headers['cache-control'], 'no-store');
  const csp = first.headers['content-security-policy'] ?? '';
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  assert.ok(nonce, csp);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'nonce-[^']+'(;|$)/);
  assert.match(csp, /style-src 'self' 'nonce-[^']+'(;|$)/);
  assert.match(csp, /connect-src 'self'(;|$)/);
  assert.match(csp, /form-action 'none'/);
  assert.doesNotMatch(csp, /unsafe-|https?:|\*/);
  assert.notEqual(second.headers['content-security-policy'], csp, 'a fresh nonce per response');

  const html = first.text;
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
  assert.ok(scripts.length >= 3);
  for (const attributes of scripts) {
    if (/type="application\/json"/.test(attributes)) continue;
    assert.ok(attributes.includes(`nonce="${nonce}"`), `every script carries the nonce: ${attributes}`);
    assert.match(attributes, /\bsrc="/, 'no inline script at all');
  }
  assert.doesNotMatch(html, /<style/, 'no inline style');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
  const urls = loadedUrls(html).filter((url) => url !== 'data:,');
  assert.ok(urls.length >= 5, urls.join(' '));
  for (const url of urls) assert.match(url, /^\/dashboard\/assets\/[\w-]{16}\/[\w.-]+$/, url);
  assert.deepEqual(html.match(/https?:\/\/[^\s"'<>]*/g) ?? [], [], 'no absolute URL to any host');
});

test('outside local mode the page asks for a token, and ?role= does not exist', async () => {
  const app = createApp(null);
  const page = await request(app).get('/dashboard');
  assert.match(page.text, /<form id="token-form"[^>]*method="post"/);
  assert.match(page.text, /<label for="token-input">Bearer token<\/label>/);
  assert.doesNotMatch(page.text, /\?role=/);
  const config = JSON.parse(/<script type="application\/json" id="dashboard-config">([^<]*)<\/script>/.exec(page.text)![1]!) as unknown;
  assert.deepEqual(config, { endpoint: '/graphql', signIn: null });
  for (const url of ['/dashboard?role=analyst', '/dashboard?role=']) {
    const res = await request(app).get(url);
    assert.equal(res.status, 404, url);
    assert.doesNotMatch(res.text, /token/i);
  }
});

test('in local mode the page links each dev role, marks the current one, and 404s any other name', async () => {
  const app = createApp(signIn);
  const picker = await request(app).get('/dashboard');
  assert.match(picker.text, /<a href="\/dashboard\?role=analyst">analyst<\/a>/);
  assert.doesNotMatch(picker.text, /aria-current/);
  assert.doesNotMatch(picker.text, /token-form/);
  assert.ok(!picker.text.includes('<img src=x'), 'role names are escaped');
  assert.ok(picker.text.includes('&#60;img src=x onerror=alert(1)&#62;'));

  const signedIn = await request(app).get('/dashboard?role=hr');
  assert.equal(signedIn.status, 200);
  assert.match(signedIn.text, /<a href="\/dashboard\?role=hr" aria-current="page">hr<\/a>/);
  const config = JSON.parse(/<script type="application\/json" id="dashboard-config">([^<]*)<\/script>/.exec(signedIn.text)![1]!) as unknown;
  assert.deepEqual(config, { endpoint: '/graphql', signIn: { role: 'hr', tokenUrl: '/dev-token' } });
  for (const url of ['/dashboard?role=engineer', '/dashboard?role=HR', '/dashboard?role=analyst&role=hr']) assert.equal((await request(app).get(url)).status, 404, url);
});

test('the asset route serves the listed files only, with a long cache for the current version', async () => {
  const app = createApp(null);
  const urls = loadedUrls((await request(app).get('/dashboard')).text).filter((url) => url !== 'data:,');
  const version = urls[0]!.split('/')[3]!;
  const modules = ['main.mjs', 'api.mjs', 'live.mjs', 'session.mjs', 'kpi-view.mjs', 'tile.mjs', 'chart.mjs', 'series.mjs', 'format.mjs', 'alerts.mjs', 'dom.mjs'];
  for (const name of [...urls.map((url) => url.split('/').at(-1)!), ...modules]) {
    const res = await request(app).get(`/dashboard/assets/${version}/${name}`);
    assert.equal(res.status, 200, name);
    assert.match(res.headers['content-type'] ?? '', name.endsWith('.css') ? /^text\/css; charset=utf-8$/ : /^text\/javascript; charset=utf-8$/, name);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers['cache-control'] ?? '', /max-age=31536000.*immutable/, name);
  }
  const stale = await request(app).get('/dashboard/assets/0000000000000000/main.mjs');
  assert.equal(stale.status, 200, 'a page from before an upgrade still gets the file');
  assert.equal(stale.headers['cache-control'], 'no-cache', '… but not cached for a year under that URL');

  const refused = [
    `/dashboard/assets/${version}/router.js`,
    `/dashboard/assets/${version}/package.json`,
    `/dashboard/assets/${version}/..%2f..%2f..%2fpackage.json`,
    `/dashboard/assets/${version}/%2e%2e%2fpage.js`,
    `/dashboard/assets/${version}/.lakegate-dev-secret`,
    '/dashboard/assets/main.mjs',
    `/dashboard/assets/${version}/uPlot.esm.js`,
    `/dashboard/assets/${version}/graphql-ws.js`,
  ];
  for (const url of refused) assert.equal((await request(app).get(url)).status, 404, url);
});
