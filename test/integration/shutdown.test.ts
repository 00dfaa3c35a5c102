import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forwardingEngine } from '../../src/datasources/forwarding';
import type { Engine } from '../../src/datasources/types';
import request from 'supertest';
import { startTestApp } from '../support/app';

/** Holds every engine query until released, to have a request in flight during shutdown. */
function gate(engine: Engine): { engine: Engine; started: Promise<void>; release: () => void } {
  let release!: () => void;
  let markStarted!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const wrapped = forwardingEngine(engine, async (inner, query, options) => {
    markStarted();
    await released;
    return inner.execute(query, options);
  });
  return { engine: wrapped, started, release };
}

test('graceful shutdown: an in-flight request finishes, new ones are refused, the engine closes', async () => {
  let control!: ReturnType<typeof gate>;
  const app = await startTestApp({ decorateEngine: (engine) => (control = gate(engine)).engine });
  const url = await app.lakegate.listen(0, '127.0.0.1');
  const inFlight = fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token()}` },
    body: JSON.stringify({ query: '{ transactions(limit: 2) { amount } }' }),
  });
  await control.started;
  const stopping = app.lakegate.stop();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await assert.rejects(fetch(`${url}/healthz`), 'a stopping server takes no new connections');
  // A request that still reaches the app (an open connection) is sent elsewhere: 503, the connection closed.
  const late = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token()}`).send({ query: '{ __typename }' });
  assert.equal(late.status, 503);
  assert.equal(late.headers['connection'], 'close');
  assert.equal(late.body.errors[0].extensions.code, 'SHUTTING_DOWN');
  control.release();
  const response = await inFlight;
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as { data: { transactions: unknown[] } }).data.transactions.length, 2);
  await stopping;
  assert.equal(await app.localEngine().health(), false, 'the engine is closed after the drain');
  app.lake.remove();
});
