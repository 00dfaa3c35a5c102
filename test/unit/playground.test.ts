import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { createPlaygroundRouter } from '../../src/server/playground';

const TOKEN_HINT = 'npm run token -- --role analyst';
const DEFAULT_QUERY = '# Try this:\nquery Hello { hello }\n';

function createApp(): express.Express {
  const app = express();
  app.use(createPlaygroundRouter({ endpoint: '/graphql', defaultQuery: DEFAULT_QUERY, tokenHint: TOKEN_HINT }));
  app.get('/graphql', (_req, res) => void res.status(418).json({ reached: 'api' }));
  return app;
}

const ASSETS: readonly (readonly [string, RegExp])[] = [
  ['/playground/graphiql.min.js', /^text\/javascript; charset=utf-8$/],
  ['/playground/graphiql.min.css', /^text\/css; charset=utf-8$/],
  ['/playground/react.production.min.js', /^text\/javascript; charset=utf-8$/],
  ['/playground/react-dom.production.min.js', /^text\/javascript; charset=utf-8$/],
];

test('a browser asking for /graphql gets the playground page', async () => {
  const res = await request(createApp()).get('/graphql').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] ?? '', /^text\/html/);
  assert.match(res.headers['vary'] ?? '', /Accept/);
  const html = res.text;
  assert.match(html, /<title>Lakegate playground<\/title>/);
  for (const [url] of ASSETS) assert.ok(html.includes(`${url}?v=`), `page references ${url}`);
  assert.ok(html.includes('npm run token -- --role analyst'), 'page explains how to get a token');
  assert.ok(html.includes('Bearer \\u003cpaste the output of npm run token -- --role analyst\\u003e'), 'headers are pre-filled');
  assert.ok(html.includes('query Hello { hello }'), 'default query is embedded');
  assert.deepEqual(html.match(/https?:\/\/[^\s"'<>]*/g) ?? [], [], 'no absolute URL to any host');
  assert.doesNotMatch(html, /\/\/[a-z0-9.-]+\.[a-z]{2,}\//i, 'no protocol-relative URL either');
});

test('the page carries a strict, nonce-based Content-Security-Policy', async () => {
  const app = createApp();
  const first = await request(app).get('/graphql').set('Accept', 'text/html');
  const second = await request(app).get('/graphql').set('Accept', 'text/html');
  const csp = first.headers['content-security-policy'] ?? '';
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  assert.ok(nonce, `CSP names a nonce: ${csp}`);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'self' 'nonce-${escapeRegExp(nonce)}'(;|$)`));
  assert.match(csp, /connect-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|https?:|\*/);
  assert.notEqual(second.headers['content-security-policy'], csp, 'a fresh nonce per response');
  const inlineScripts = [...first.text.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1] ?? '');
  for (const attributes of inlineScripts) {
    if (/type="application\/json"/.test(attributes)) continue;
    assert.ok(attributes.includes(`nonce="${nonce}"`), `inline script carries the nonce: ${attributes}`);
  }
  assert.equal(first.headers['cache-control'], 'no-store');
});

test('query and hint text cannot break out of the page', async () => {
  const app = express();
  app.use(createPlaygroundRouter({
    endpoint: '/graphql',
    defaultQuery: '# </script><script>alert(1)</script>\n{ hello }',
    tokenHint: '<img src=x onerror=alert(1)> & "quotes"',
  }));
  const res = await request(app).get('/graphql').set('Accept', 'text/html');
  assert.equal(res.status, 200);
  assert.ok(!res.text.includes('<script>alert(1)'), 'default query is not raw HTML');
  assert.ok(!res.text.includes('<img src=x'), 'token hint is not raw HTML');
  assert.ok(res.text.includes('&#60;img src=x onerror=alert(1)&#62; &#38; &#34;quotes&#34;'), 'token hint is shown escaped');
  const config = /<script type="application\/json" id="lakegate-playground-config">([^<]*)<\/script>/.exec(res.text)?.[1];
  assert.ok(config, 'config block present and free of "<"');
  assert.equal((JSON.parse(config) as { defaultQuery: string }).defaultQuery, '# </script><script>alert(1)</script>\n{ hello }');
});

test('API clients fall through to the GraphQL endpoint', async () => {
  const app = createApp();
  const json = await request(app).get('/graphql?query=%7Bhello%7D').set('Accept', 'application/json');
  assert.equal(json.status, 418);
  assert.deepEqual(json.body, { reached: 'api' });
  const anything = await request(app).get('/graphql').set('Accept', '*/*');
  assert.equal(anything.status, 418, 'curl-style */* is an API client');
  const none = await request(app).get('/graphql').unset('Accept');
  assert.equal(none.status, 418);
});

test('each asset is served with its content type and a long cache', async () => {
  const app = createApp();
  for (const [url, contentType] of ASSETS) {
    const res = await request(app).get(`${url}?v=1`).buffer(true).parse((r, done) => {
      let size = 0;
      r.on('data', (chunk: Buffer) => (size += chunk.length));
      r.on('end', () => done(null, size));
    });
    assert.equal(res.status, 200, url);
    assert.match(res.headers['content-type'] ?? '', contentType, url);
    assert.match(res.headers['cache-control'] ?? '', /max-age=31536000/, url);
    assert.match(res.headers['cache-control'] ?? '', /immutable/, url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.ok((res.body as number) > 1000, `${url} has content`);
  }
});

test('nothing else under /playground/ is reachable', async () => {
  const app = createApp();
  for (const url of ['/playground/', '/playground', '/playground/package.json', '/playground/index.js',
    '/playground/graphiql.min.js.map', '/playground/__proto__', '/playground/constructor',
    '/playground/..%2Fpackage.json', '/playground/%2e%2e/package.json', '/playground/umd/react.production.min.js']) {
    const res = await request(app).get(url);
    assert.equal(res.status, 404, url);
  }
  // A raw request line, so no client can normalise the `..` away before it reaches express.
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    for (const rawPath of ['/playground/../package.json', '/playground/../../package.json', '/playground/./graphiql.min.js/../../package.json']) {
      const status = await getRawStatus(port, rawPath);
      assert.equal(status, 404, rawPath);
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

function getRawStatus(port: number, rawPath: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

test('with a local sign-in the page offers one button per dev role (escaped); without one, none', async () => {
  const local = express();
  local.use(createPlaygroundRouter({
    endpoint: '/graphql', defaultQuery: DEFAULT_QUERY, tokenHint: TOKEN_HINT,
    signIn: { roles: ['analyst', 'hr', '"><script>alert(1)</script>'], tokenUrl: '/dev-token' },
  }));
  const page = (await request(local).get('/graphql').set('Accept', 'text/html')).text;
  assert.match(page, /<button type="button" data-dev-role="analyst" aria-pressed="false">analyst<\/button>/);
  assert.match(page, /<button type="button" data-dev-role="hr" aria-pressed="false">hr<\/button>/);
  assert.ok(!page.includes('<script>alert(1)'), 'role names are escaped');
  const config = JSON.parse(/<script type="application\/json" id="lakegate-playground-config">([^<]*)<\/script>/.exec(page)![1]!) as { signIn: unknown };
  assert.deepEqual(config.signIn, { tokenUrl: '/dev-token' });

  const plain = (await request(createApp()).get('/graphql').set('Accept', 'text/html')).text;
  assert.doesNotMatch(plain, /<button[^>]*data-dev-role/);
  assert.match(plain, /"signIn":null/);
});
