import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { forwardingEngine } from '../../src/datasources/forwarding';
import type { Engine } from '../../src/datasources/types';
import { startTestApp, type TestApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';
import { sample, scrape } from '../support/prometheus';

/**
 * `/metrics` of the real app: requests by operation and outcome, errors and refusals by code,
 * engine queries by engine and outcome, the result cache's answers, requests in flight, the
 * process — and nothing a caller sent or is (values, tokens, subjects, principals).
 */
let lake: TestLake;
let app: TestApp;
/** Reads of `employees` wait for this gate while it is set: a request held in flight. */
let gate: Promise<void> | null = null;

const decorateEngine = (engine: Engine): Engine => forwardingEngine(engine, async (inner, query, options) => {
  if (gate && query.sql.includes('"employees"')) await gate;
  return inner.execute(query, options);
});

before(async () => {
  lake = await createTestLake(500);
  app = await startTestApp({ lake, decorateEngine });
});

after(async () => {
  await app?.close();
  lake?.remove();
});

test('a query, a KPI asked twice and bad requests move the request, engine, cache and error metrics', async () => {
  const before = await scrape(app.lakegate);
  const top = await app.graphql('query Top { transactions(limit: 2) { amount customer { name } } }');
  assert.equal(top.body.errors, undefined);
  const kpi = '{ kpis { orders(from: "2024-03-01", to: "2024-03-05", grain: DAY) { time value } } }';
  assert.deepEqual([(await app.graphql(kpi)).body.extensions.lakegate.queries[0].cache, (await app.graphql(kpi)).body.extensions.lakegate.queries[0].cache], ['miss', 'hit']);
  assert.equal((await app.graphql('{ nope }')).status, 400);
  assert.equal((await app.graphql('{ transactions(limit: 1000000) { amount } }')).body.errors[0].extensions.code, 'LIMIT_EXCEEDED');
  assert.equal((await request(app.lakegate.app).post('/graphql').send({ query: '{ customers { name } }' })).status, 401);

  const response = await request(app.lakegate.app).get('/metrics');
  assert.equal(response.status, 200);
  assert.match(response.headers['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
  const after = response.text;
  const moved = (name: string, labels: Record<string, string>): number => sample(after, name, labels) - sample(before, name, labels);
  assert.equal(moved('lakegate_graphql_request_duration_seconds_count', { operation: 'Top', outcome: 'ok' }), 1);
  assert.equal(moved('lakegate_graphql_request_duration_seconds_count', { operation: 'anonymous', outcome: 'ok' }), 2, 'the KPI twice');
  assert.equal(moved('lakegate_graphql_request_duration_seconds_count', { operation: 'unresolved', outcome: 'GRAPHQL_VALIDATION_FAILED' }), 1);
  assert.equal(moved('lakegate_graphql_request_duration_seconds_count', { operation: 'anonymous', outcome: 'LIMIT_EXCEEDED' }), 1);
  assert.equal(moved('lakegate_engine_query_duration_seconds_count', { engine: 'local', outcome: 'ok' }), 3, 'transactions, customers, the KPI once: the hit ran nothing');
  assert.ok(sample(after, 'lakegate_engine_query_duration_seconds_bucket', { engine: 'local', outcome: 'ok', le: '+Inf' }) >= 3);
  assert.equal(moved('lakegate_result_cache_requests_total', { engine: 'local', outcome: 'miss' }), 1);
  assert.equal(moved('lakegate_result_cache_requests_total', { engine: 'local', outcome: 'hit' }), 1);
  assert.equal(moved('lakegate_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' }), 1);
  assert.equal(moved('lakegate_graphql_errors_total', { code: 'LIMIT_EXCEEDED' }), 1);
  assert.equal(moved('lakegate_graphql_errors_total', { code: 'UNAUTHENTICATED' }), 1, 'refused before GraphQL, counted too');
  assert.equal(moved('lakegate_refusals_total', { code: 'LIMIT_EXCEEDED', limit: 'maxLimit' }), 1);
  assert.equal(sample(after, 'lakegate_long_queries_running'), 0, 'no long queries configured');
  assert.equal(sample(after, 'lakegate_requests_in_flight'), 0);
  for (const processMetric of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) {
    assert.match(after, new RegExp(`^${processMetric} `, 'm'), processMetric);
  }
});

test('/metrics never holds a token, a subject, a principal or a value from a query', async () => {
  const token = app.token('japan_sales');
  const filterValue = 'zz-filter-value-9153';
  const response = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${token}`)
    .send({ query: `query Filtered($amount: Decimal) { transactions(where: { channel: { eq: "${filterValue}" }, amount: { gte: $amount } }) { amount } }`, variables: { amount: '98765.4321' } });
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  const text = await scrape(app.lakegate);
  assert.equal(sample(text, 'lakegate_graphql_request_duration_seconds_count', { operation: 'Filtered', outcome: 'ok' }), 1);
  for (const secret of [token, token.split('.')[1]!, 'dev-japan_sales', 'japan_sales', 'JapanSales', 'arn:aws', filterValue, '98765.4321']) {
    assert.ok(!text.includes(secret), `/metrics must not contain ${secret}`);
  }
});

test('a request being served is in flight until it answers', async () => {
  let open = (): void => undefined;
  gate = new Promise((resolve) => (open = resolve));
  try {
    // supertest sends once `then` is called: start it now, and look while its engine query waits at the gate.
    const answered = Promise.resolve(app.graphql('{ employees(limit: 1) { name } }'));
    let inFlight = 0;
    for (let attempt = 0; attempt < 100 && inFlight === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight = sample(await scrape(app.lakegate), 'lakegate_requests_in_flight');
    }
    assert.equal(inFlight, 1);
    open();
    assert.equal((await answered).status, 200);
    assert.equal(sample(await scrape(app.lakegate), 'lakegate_requests_in_flight'), 0);
  } finally {
    open();
    gate = null;
  }
});

test('each app has a registry of its own; LAKEGATE_METRICS_TOKEN puts /metrics behind a bearer token', async () => {
  const metricsToken = 'metrics-token-for-the-test-0123456789';
  const guarded = await startTestApp({ lake, env: { LAKEGATE_METRICS_TOKEN: metricsToken } });
  try {
    assert.equal((await request(guarded.lakegate.app).get('/metrics')).status, 401);
    const wrong = await request(guarded.lakegate.app).get('/metrics').set('Authorization', 'Bearer not-it');
    assert.equal(wrong.status, 401);
    assert.ok(!wrong.text.includes(metricsToken));
    assert.equal((await request(guarded.lakegate.app).get('/metrics').set('Authorization', `Bearer ${guarded.token()}`)).status, 401, 'an API token is not the metrics token');
    await guarded.graphql('query Own { customers(limit: 1) { name } }');
    const text = await scrape(guarded.lakegate, metricsToken);
    assert.equal(sample(text, 'lakegate_graphql_request_duration_seconds_count', { operation: 'Own', outcome: 'ok' }), 1);
    assert.equal(sample(text, 'lakegate_graphql_request_duration_seconds_count', { operation: 'Top', outcome: 'ok' }), 0, 'the other app\'s requests are not counted here');
    assert.equal(sample(await scrape(app.lakegate), 'lakegate_graphql_request_duration_seconds_count', { operation: 'Own', outcome: 'ok' }), 0);
  } finally {
    await guarded.close();
  }
});
