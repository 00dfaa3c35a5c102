import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forwardingEngine } from '../../src/datasources/forwarding';
import type { Engine } from '../../src/datasources/types';
import { startTestApp, type TestApp } from '../support/app';

/** Lets each engine query start only after its deadline, as a slow queue in front of it would. */
function startLate(engine: Engine): Engine {
  return forwardingEngine(engine, async (inner, query, options = {}) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (options.deadline ?? Date.now()) - Date.now()) + 5));
    return inner.execute(query, options);
  });
}

let app: TestApp;

before(async () => {
  app = await startTestApp({ limits: { queryTimeoutMs: 20 }, decorateEngine: startLate });
});
after(() => app.close());

test('a query past the configured timeout → QUERY_TIMEOUT, without a stack trace', async () => {
  const response = await app.graphql('{ transactions(limit: 1) { amount } }');
  assert.equal(response.status, 200);
  assert.equal(response.body.errors?.[0]?.extensions?.code, 'QUERY_TIMEOUT', JSON.stringify(response.body));
  assert.match(response.body.errors[0].message, /transactions: the query exceeded its time limit/);
  assert.ok(!JSON.stringify(response.body).includes('stacktrace'));
});
