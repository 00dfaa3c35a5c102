import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { EngineError } from '../../src/datasources/errors';
import { forwardingEngine } from '../../src/datasources/forwarding';
import { startTestApp, type TestApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';
import { installInMemoryTracing, type InMemoryTracing } from '../support/tracing';

/**
 * Spans through the real app, with an in-memory exporter in place of the SDK: the request span,
 * a planned-query span per dataset read / relation level / KPI series under it, and an engine
 * query span under each planned query — with ids, counts and codes, never values or tokens.
 */
let lake: TestLake;
let app: TestApp;

/** Reads of `employees` fail in the engine: an engine error to see on the spans (with a message that must not reach them). */
const FAILING_ENGINE_MESSAGE = 'engine says no to secret-value-42';
const decorateEngine = (engine: Parameters<typeof forwardingEngine>[0]) => forwardingEngine(engine, (inner, query, options) => {
  if (query.sql.includes('"employees"')) return Promise.reject(new EngineError('QUERY_FAILED', FAILING_ENGINE_MESSAGE, inner.name, 'q-failed'));
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

test('without a tracer provider, requests are served as ever', async () => {
  const response = await app.graphql('query Top { transactions(limit: 2) { amount customer { name } } }');
  assert.equal(response.status, 200);
  assert.equal(response.body.errors, undefined);
  assert.equal(response.body.data.transactions.length, 2);
});

describe('with a tracer provider', () => {
  let tracing: InMemoryTracing;
  before(() => {
    tracing = installInMemoryTracing();
  });
  after(async () => {
    await tracing.uninstall();
  });

  const byName = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((span) => span.name === name);
  const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] => spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

  test('a request with a relation: request span → planned query per relation level → engine query, with the extensions\' ids and counts', async () => {
    tracing.reset();
    const filterValue = 'zz-filter-value-0427';
    const response = await app.graphql(`query Top { transactions(limit: 3, where: { channel: { ne: "${filterValue}" } }) { amount customer { name } } }`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const spans = tracing.spans();
    const [root] = byName(spans, 'POST /graphql');
    assert.ok(root, `a request span among ${spans.map((span) => span.name).join(', ')}`);
    assert.equal(root.kind, SpanKind.SERVER);
    assert.equal(root.parentSpanContext, undefined, 'a root span without traceparent');
    assert.deepEqual(
      { method: root.attributes['http.request.method'], route: root.attributes['http.route'], status: root.attributes['http.response.status_code'], operation: root.attributes['graphql.operation.name'], type: root.attributes['graphql.operation.type'] },
      { method: 'POST', route: '/graphql', status: 200, operation: 'Top', type: 'query' },
    );

    const planned = childrenOf(spans, root);
    assert.deepEqual(planned.map((span) => [span.name, span.attributes['lakegate.dataset'], span.attributes['lakegate.path']]).sort(), [
      ['lakegate.planned_query', 'customers', 'transactions.customer'],
      ['lakegate.planned_query', 'transactions', 'transactions'],
    ]);
    const records = response.body.extensions.lakegate.queries as { path: string; queryId: string; rows: number; engine: string }[];
    for (const plannedSpan of planned) {
      const engineSpans = childrenOf(spans, plannedSpan);
      assert.equal(engineSpans.length, 1, 'one engine query per planned query');
      const [engineSpan] = engineSpans;
      const record = records.find((entry) => entry.path === plannedSpan.attributes['lakegate.path'])!;
      assert.equal(engineSpan!.name, 'lakegate.engine_query');
      assert.deepEqual(
        { engine: engineSpan!.attributes['lakegate.engine'], queryId: engineSpan!.attributes['lakegate.query_id'], rows: engineSpan!.attributes['lakegate.rows'], cache: engineSpan!.attributes['lakegate.cache'] },
        { engine: 'local', queryId: record.queryId, rows: record.rows, cache: 'none' },
      );
      assert.equal(engineSpan!.spanContext().traceId, root.spanContext().traceId);
    }
    const everything = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status })));
    assert.ok(!everything.includes(filterValue), 'no filter value on any span');
    assert.ok(!everything.includes(app.token()), 'no token on any span');
    assert.ok(!everything.includes('dev-engineer'), 'no subject on any span');
  });

  test('a KPI: its planned query names the KPI; the cache outcome is on the engine query span (miss, then hit)', async () => {
    const query = '{ kpis { orders(from: "2024-03-01", to: "2024-03-08", grain: DAY) { time value } } }';
    const outcomes: unknown[] = [];
    for (let run = 0; run < 2; run += 1) {
      tracing.reset();
      const response = await app.graphql(query);
      assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
      const spans = tracing.spans();
      const [planned] = byName(spans, 'lakegate.planned_query');
      assert.deepEqual([planned?.attributes['lakegate.kpi'], planned?.attributes['lakegate.dataset']], ['orders', 'transactions']);
      const [engineSpan] = childrenOf(spans, planned!);
      outcomes.push(engineSpan?.attributes['lakegate.cache']);
      assert.equal(engineSpan?.attributes['lakegate.query_id'], response.body.extensions.lakegate.queries[0].queryId);
    }
    assert.deepEqual(outcomes, ['miss', 'hit']);
  });

  test('an incoming traceparent continues the caller\'s trace', async () => {
    tracing.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const response = await request(app.lakegate.app).post('/graphql')
      .set('Authorization', `Bearer ${app.token()}`)
      .set('traceparent', `00-${traceId}-${parentId}-01`)
      .send({ query: '{ customers(limit: 1) { name } }' });
    assert.equal(response.status, 200);
    const spans = tracing.spans();
    const [root] = byName(spans, 'POST /graphql');
    assert.equal(root?.spanContext().traceId, traceId);
    assert.equal(root?.parentSpanContext?.spanId, parentId);
    assert.ok(spans.every((span) => span.spanContext().traceId === traceId), 'every span of the request is in the caller\'s trace');
    assert.equal(byName(spans, 'lakegate.engine_query').length, 1);
  });

  test('a body that arrives after the headers is parsed in the request\'s trace context', async () => {
    tracing.reset();
    const url = new URL(await app.lakegate.listen(0, '127.0.0.1'));
    const body = JSON.stringify({ query: '{ customers(limit: 1) { name } }' });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const slow = http.request({ host: url.hostname, port: url.port, path: '/graphql', method: 'POST', headers: { authorization: `Bearer ${app.token()}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      });
      slow.on('error', reject);
      slow.flushHeaders();
      void sleep(100).then(() => slow.end(body));
    });
    assert.equal(status, 200);
    const spans = tracing.spans();
    const [root] = byName(spans, 'POST /graphql');
    const [planned] = byName(spans, 'lakegate.planned_query');
    assert.equal(planned?.parentSpanContext?.spanId, root?.spanContext().spanId, 'the planned query is under the request span');
  });

  test('errors are recorded by code on the spans they cross, never with their message', async () => {
    tracing.reset();
    const failed = await app.graphql('{ employees(limit: 1) { name } }');
    assert.equal(failed.body.errors?.[0]?.extensions?.code, 'QUERY_FAILED');
    const spans = tracing.spans();
    for (const name of ['lakegate.engine_query', 'lakegate.planned_query', 'POST /graphql']) {
      const [span] = byName(spans, name);
      assert.deepEqual([span?.status.code, span?.status.message, span?.attributes['error.type']], [SpanStatusCode.ERROR, 'QUERY_FAILED', 'QUERY_FAILED'], name);
    }
    const [root] = byName(spans, 'POST /graphql');
    assert.deepEqual(root?.events.map((event) => event.attributes), [{ 'error.type': 'QUERY_FAILED', 'graphql.error.path': 'employees' }]);
    assert.ok(!JSON.stringify(spans.map((span) => [span.attributes, span.events, span.status])).includes('secret-value-42'), 'no error message on spans');

    tracing.reset();
    const invalid = await app.graphql('{ nope }');
    assert.equal(invalid.status, 400);
    const [request400] = byName(tracing.spans(), 'POST /graphql');
    assert.deepEqual([request400?.attributes['error.type'], request400?.attributes['http.response.status_code']], ['GRAPHQL_VALIDATION_FAILED', 400]);
    assert.equal(byName(tracing.spans(), 'lakegate.planned_query').length, 0);

    tracing.reset();
    const unauthenticated = await request(app.lakegate.app).post('/graphql').send({ query: '{ customers { name } }' });
    assert.equal(unauthenticated.status, 401);
    const [request401] = byName(tracing.spans(), 'POST /graphql');
    assert.equal(request401?.attributes['error.type'], 'UNAUTHENTICATED', 'refused before GraphQL, still on the request span');
  });
});
