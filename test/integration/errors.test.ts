import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';

let app: TestApp;

before(async () => {
  app = await startTestApp();
});
after(() => app.close());

function assertNoStack(body: unknown): void {
  const text = JSON.stringify(body);
  assert.ok(!/stacktrace|\bat .+\.js:\d+/.test(text), `no stack trace expected in ${text}`);
}

const cases: { name: string; query: string; variables?: Record<string, unknown>; status: number; code: string }[] = [
  { name: 'a wrong literal type', query: '{ transactions(limit: "ten") { amount } }', status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an unknown enum value', query: '{ transactions(orderBy: [{ amount: UP }]) { amount } }', status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an unknown field (same as a hidden one)', query: '{ transactions { amountt } }', status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a bad scalar literal', query: '{ transactions(where: { ts: { gt: "last tuesday" } }) { amount } }', status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a wrong variable type', query: 'query($n: Int) { transactions(limit: $n) { amount } }', variables: { n: 'many' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a bad Decimal variable', query: 'query($a: Decimal) { transactions(where: { amount: { gt: $a } }) { amount } }', variables: { a: '12abc' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a limit above the maximum', query: '{ transactions(limit: 10001) { amount } }', status: 400, code: 'LIMIT_EXCEEDED' },
  { name: 'a negative offset', query: '{ transactions(offset: -1) { amount } }', status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an orderBy item naming two fields', query: '{ transactions(orderBy: [{ amount: ASC, ts: DESC }]) { amount } }', status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an explicit null operator', query: '{ transactions(where: { amount: { eq: null } }) { amount } }', status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a query deeper than allowed', query: '{ customers { transactions { customer { transactions { customer { transactions { customer { transactions { customer { transactions { amount } } } } } } } } } } }', status: 400, code: 'LIMIT_EXCEEDED' },
  { name: 'a syntax error', query: '{ transactions { amount ', status: 400, code: 'GRAPHQL_PARSE_FAILED' },
];

for (const { name, query, variables, status, code } of cases) {
  test(`${name} → HTTP ${status} ${code}`, async () => {
    const response = await app.graphql(query, variables);
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.equal(response.body.errors?.[0]?.extensions?.code, code, JSON.stringify(response.body));
    assertNoStack(response.body);
  });
}

test('introspection is not limited by depth (tools such as GraphiQL rely on it)', async () => {
  const deep = '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }';
  const response = await app.graphql(deep);
  assert.equal(response.status, 200, JSON.stringify(response.body.errors));
});

test('a malformed JSON body → HTTP 400 BAD_REQUEST', async () => {
  const response = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token()}`)
    .set('Content-Type', 'application/json').send('{"query": "{ transactions { amount } }"');
  assert.equal(response.status, 400);
  assert.equal(response.body.errors[0].extensions.code, 'BAD_REQUEST');
  assertNoStack(response.body);
});

test('a body without a query → HTTP 400 BAD_REQUEST', async () => {
  const response = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token()}`).send({ variables: {} });
  assert.equal(response.status, 400);
  assert.equal(response.body.errors[0].extensions.code, 'BAD_REQUEST');
});

test('a body over 1 MB → HTTP 413 BAD_REQUEST, and the connection is not reused', async () => {
  const query = `{ transactions(where: { currency: { in: ${JSON.stringify(['x'.repeat(1024)])} } }) { amount } }`;
  const body = JSON.stringify({ query, variables: { padding: 'x'.repeat(1024 * 1024) } });
  const response = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token()}`)
    .set('Content-Type', 'application/json').send(body);
  assert.equal(response.status, 413);
  assert.equal(response.body.errors[0].extensions.code, 'BAD_REQUEST');
  assert.equal(response.headers['connection'], 'close');
});

test('a gzip-encoded JSON body is read; an unknown encoding or charset → HTTP 415 BAD_REQUEST', async () => {
  const body = gzipSync(JSON.stringify({ query: '{ transactions(limit: 1) { amount } }' }));
  const compressed = await postBytes(body, { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${app.token()}` });
  assert.equal(compressed.status, 200, JSON.stringify(compressed.body));
  assert.equal((compressed.body as { data: { transactions: unknown[] } }).data.transactions.length, 1);
  for (const [header, value] of [['Content-Encoding', 'zstd'], ['Content-Type', 'application/json; charset=latin1']] as const) {
    const refused = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token()}`)
      .set('Content-Type', 'application/json').set(header, value).send('{"query":"{ __typename }"}');
    assert.equal(refused.status, 415, value);
    assert.equal(refused.body.errors[0].extensions.code, 'BAD_REQUEST');
  }
});

/** Raw bytes to /graphql (supertest would serialise a Buffer sent as JSON). */
async function postBytes(body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const server = http.createServer(app.lakegate.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, { method: 'POST', headers, body: new Uint8Array(body) });
    return { status: response.status, body: await response.json() };
  } finally {
    server.close();
  }
}

test('a body that is not JSON is refused as a possible cross-site request; GET with a query string is served', async () => {
  const plain = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token()}`)
    .set('Content-Type', 'text/plain').send('{"query":"{ __typename }"}');
  assert.equal(plain.status, 400);
  assert.equal(plain.body.errors[0].extensions.code, 'BAD_REQUEST');
  assert.match(plain.body.errors[0].message, /Cross-Site Request Forgery/);
  const get = await request(app.lakegate.app).get('/graphql').query({ query: '{ transactions(limit: 1) { amount } }' })
    .set('Authorization', `Bearer ${app.token()}`).set('Accept', 'application/json').set('apollo-require-preflight', 'true');
  assert.equal(get.status, 200, JSON.stringify(get.body));
  assert.equal(get.body.data.transactions.length, 1);
});

test('no token, a bad token, or another scheme → HTTP 401 UNAUTHENTICATED', async () => {
  const body = { query: '{ catalog { datasets { name } } }' };
  for (const header of [undefined, 'Bearer not-a-jwt', `Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${app.token().slice(0, -4)}AAAA`]) {
    const call = request(app.lakegate.app).post('/graphql');
    const response = await (header ? call.set('Authorization', header) : call).send(body);
    assert.equal(response.status, 401, String(header));
    assert.equal(response.body.errors[0].extensions.code, 'UNAUTHENTICATED');
    assert.match(String(response.headers['www-authenticate']), /^Bearer /);
  }
});

test('an engine failure is QUERY_FAILED with the engine message, and the server carries on', async () => {
  // Files vanishing under the engine is a real failure mode of a lake folder.
  const folder = path.join(app.lake.dir, 'sales', 'customers');
  for (const file of readdirSync(folder)) unlinkSync(path.join(folder, file));
  const failing = await app.graphql('{ customers(limit: 1) { name } }');
  assert.equal(failing.status, 200);
  assert.equal(failing.body.errors?.[0]?.extensions?.code, 'QUERY_FAILED', JSON.stringify(failing.body));
  assertNoStack(failing.body);
  const healthy = await app.graphql('{ transactions(limit: 1) { amount } }');
  assert.equal(healthy.body.data.transactions.length, 1);
});

test('health and readiness endpoints answer without a token', async () => {
  assert.equal((await request(app.lakegate.app).get('/healthz')).status, 200);
  const ready = await request(app.lakegate.app).get('/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body, { status: 'ready', engines: { local: true }, cache: 'memory' });
});

test('a closed engine → ENGINE_UNAVAILABLE, and /readyz says so', async () => {
  await app.localEngine().close();
  const response = await app.graphql('{ transactions(limit: 1) { amount } }');
  assert.equal(response.body.errors?.[0]?.extensions?.code, 'ENGINE_UNAVAILABLE', JSON.stringify(response.body));
  const ready = await request(app.lakegate.app).get('/readyz');
  assert.equal(ready.status, 503);
});
