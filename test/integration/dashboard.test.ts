import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import pino from 'pino';
import request from 'supertest';
import { PAGE_TOKEN_TTL_SECONDS } from '../../src/auth/local-sign-in';
import type { LoadedConfig } from '../../src/config/load';
import { TEST_SECRET, startTestApp, type TestApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';

/**
 * Local-mode sign-in against the real app: the token endpoint and `/dashboard?role=` exist only
 * when the server signs with its own dev secret, the token is the asked role's alone and short
 * lived, and no token reaches the request log.
 */
let lake: TestLake;
let local: TestApp;
const logLines: string[] = [];

before(async () => {
  lake = await createTestLake(300, 5);
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (logLines.push(chunk.toString('utf8')), done()) });
  local = await startTestApp({ lake, localMode: true, logger: pino({ level: 'info' }, sink) });
});

after(async () => {
  await local?.close();
  lake?.remove();
});

const withJwks = (loaded: LoadedConfig): LoadedConfig => ({
  ...loaded,
  config: { ...loaded.config, auth: { ...loaded.config.auth, jwksUri: 'https://idp.example/.well-known/jwks.json' } },
});

test('in local mode POST /dev-token mints a fifteen-minute token for the asked dev role, and it works', async () => {
  const res = await request(local.lakegate.app).post('/dev-token').send({ role: 'analyst' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['cache-control'], 'no-store');
  const { role, token, expiresAt, expiresIn } = res.body as { role: string; token: string; expiresAt: number; expiresIn: number };
  assert.equal(role, 'analyst');
  const auth = local.loaded.config.auth;
  const claims = jwt.verify(token, TEST_SECRET, { algorithms: ['HS256'], issuer: auth.issuer!, audience: auth.audience! }) as JwtPayload;
  const { iat, exp, ...rest } = claims;
  assert.deepEqual(rest, { ...auth.devRoles['analyst'], sub: 'dev-analyst', iss: auth.issuer, aud: auth.audience }, 'the role\'s claims and nothing more');
  assert.equal(exp! - iat!, PAGE_TOKEN_TTL_SECONDS);
  assert.equal(expiresAt, exp);
  assert.equal(expiresIn, PAGE_TOKEN_TTL_SECONDS);

  const catalog = await request(local.lakegate.app).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query: '{ catalog { kpis { name } } }' });
  assert.equal(catalog.status, 200);
  const names = (catalog.body as { data: { catalog: { kpis: { name: string }[] } } }).data.catalog.kpis.map((kpi) => kpi.name);
  assert.ok(names.includes('revenue') && !names.includes('consoleLogins'), names.join(', '));
});

test('the token endpoint refuses unknown roles, other bodies and other sites', async () => {
  const app = local.lakegate.app;
  for (const body of [{ role: 'root' }, { role: ['analyst'] }, {}]) {
    const res = await request(app).post('/dev-token').send(body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal((res.body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code, 'BAD_REQUEST');
    assert.doesNotMatch(res.text, /eyJ/, 'no token in a refusal');
  }
  const form = await request(app).post('/dev-token').type('form').send('role=analyst');
  assert.equal(form.status, 400, 'a form post (no preflight) gets nothing');
  const crossSite = await request(app).post('/dev-token').set('Sec-Fetch-Site', 'cross-site').send({ role: 'analyst' });
  assert.equal(crossSite.status, 403);
  assert.equal((await request(app).get('/dev-token')).status, 404, 'POST only');
});

test('in local mode the dashboard signs in by ?role= and the playground shows the role picker', async () => {
  const dashboard = await request(local.lakegate.app).get('/dashboard?role=hr');
  assert.equal(dashboard.status, 200);
  assert.match(dashboard.text, /aria-current="page">hr</);
  assert.doesNotMatch(dashboard.text, /eyJ/, 'the page itself carries no token');
  assert.equal((await request(local.lakegate.app).get('/dashboard?role=nobody')).status, 404);
  const playground = await request(local.lakegate.app).get('/graphql').set('Accept', 'text/html');
  assert.match(playground.text, /data-dev-role="hr"/);
});

test('no token reaches the request log', async () => {
  const app = local.lakegate.app;
  const minted = (await request(app).post('/dev-token').send({ role: 'hr' })).body as { token: string };
  await request(app).post('/graphql').set('Authorization', `Bearer ${minted.token}`).send({ query: '{ catalog { kpis { name } } }' });
  await request(app).get('/dashboard?role=hr');
  const log = logLines.join('');
  assert.match(log, /"url":"\/dev-token"/, 'the sign-in is logged');
  assert.match(log, /"url":"\/dashboard"/, 'the path only: a query string may carry values');
  assert.ok(!log.includes(minted.token), 'the token is not');
  assert.ok(!log.includes(minted.token.split('.')[2]!), 'not even its signature');
});

test('with a real secret (LAKEGATE_JWT_SECRET) or a JWKS endpoint, role sign-in and the token endpoint do not exist', async () => {
  const configured = [await startTestApp({ lake }), await startTestApp({ lake, localMode: true, configure: withJwks })];
  try {
    for (const app of configured) {
      const server = app.lakegate.app;
      assert.equal((await request(server).post('/dev-token').send({ role: 'analyst' })).status, 404);
      assert.equal((await request(server).get('/dashboard?role=analyst')).status, 404);
      const page = await request(server).get('/dashboard');
      assert.equal(page.status, 200);
      assert.match(page.text, /id="token-form"/);
      assert.doesNotMatch(page.text, /\?role=/);
      const playground = await request(server).get('/graphql').set('Accept', 'text/html');
      assert.doesNotMatch(playground.text, /<button[^>]*data-dev-role/);
      // The pages still work with a token the caller brings.
      const kpis = await app.graphql('{ catalog { kpis { name } } }', {}, 'analyst');
      assert.equal(kpis.status, 200);
    }
  } finally {
    await Promise.all(configured.map((app) => app.close()));
  }
});
