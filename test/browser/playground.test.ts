import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { buildSchema, graphql } from 'graphql';
import { createPlaygroundRouter } from '../../src/server/playground';
import { CHROMIUM_PATH, runPlaygroundBrowserCheck } from './playground-check';

const TOKEN = 'test-token.abc123';
const TOKEN_HINT = 'npm run token -- --role analyst';

interface HelloServer {
  readonly baseUrl: string;
  /** Status of every POST /graphql, in order. */
  readonly statuses: number[];
  close(): Promise<void>;
}

/** The playground router plus a real graphql-js endpoint that insists on `Bearer <token>`. */
async function startHelloServer(token: string): Promise<HelloServer> {
  const schema = buildSchema('type Query { hello: String }');
  const rootValue = { hello: () => 'world' };
  const statuses: number[] = [];
  const app = express();
  app.use(createPlaygroundRouter({
    endpoint: '/graphql',
    defaultQuery: '# Lakegate playground test\nquery Hello {\n  hello\n}\n',
    tokenHint: TOKEN_HINT,
  }));
  app.post('/graphql', express.json(), (req, res, next) => {
    if (req.get('authorization') !== `Bearer ${token}`) {
      statuses.push(401);
      return void res.status(401).json({ errors: [{ message: 'Missing or invalid bearer token', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const body = req.body as { query?: string; variables?: Record<string, unknown>; operationName?: string };
    graphql({ schema, rootValue, source: body.query ?? '', variableValues: body.variables ?? null, operationName: body.operationName ?? null })
      .then((result) => {
        statuses.push(200);
        res.json(result);
      })
      .catch(next);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    statuses,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

test('the playground runs the default query in Chromium, sending the pasted token, offline', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM_PATH)) {
    t.skip(`${CHROMIUM_PATH} is missing; install it with: apt-get update && apt-get install -y chromium`);
    return;
  }
  const server = await startHelloServer(TOKEN);
  try {
    const check = await runPlaygroundBrowserCheck(server.baseUrl, TOKEN);
    t.diagnostic(`screenshot: ${check.screenshotPath}`);
    assert.equal(check.title, 'Lakegate playground');
    assert.match(check.bannerText, /npm run token -- --role analyst/);
    assert.deepEqual(JSON.parse(check.initialHeaders), { Authorization: `Bearer <paste the output of ${TOKEN_HINT}>` });
    assert.deepEqual(check.result, { data: { hello: 'world' } });
    assert.ok(check.sentAuthorizations.length >= 2, 'introspection and the query were sent');
    assert.ok(check.sentAuthorizations.every((value) => value === `Bearer ${TOKEN}`), 'every request carried the token');
    assert.deepEqual(server.statuses.filter((status) => status !== 200), [], 'no request went out without the token');
    assert.deepEqual(check.externalRequests, [], 'no request to another host');
    assert.deepEqual(check.consoleErrors, [], 'no console error, CSP violation or failed request');
    assert.ok(statSync(check.screenshotPath).size > 10_000, 'a real screenshot was taken');
  } finally {
    await server.close();
  }
});
