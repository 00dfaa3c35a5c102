import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeLabel, errorCode, isRefusal, limitLabel, OperationNames } from '../../src/observability/labels';
import { tracingRequested } from '../../src/observability/tracing-sdk';

/** Label values stay bounded whatever a client sends; tracing starts only when OTEL_* asks for it. */

test('operation names: parsed names up to the cap, then `other`; anonymous and unresolved have their own', () => {
  const names = new OperationNames(2);
  const named = (value: string) => ({ name: { value } });
  assert.equal(names.label(undefined), 'unresolved');
  assert.equal(names.label({}), 'anonymous');
  assert.equal(names.label(named('Top')), 'Top');
  assert.equal(names.label(named('Orders')), 'Orders');
  assert.equal(names.label(named('Third')), 'other', 'past the cap');
  assert.equal(names.label(named('Top')), 'Top', 'a name already seen keeps its label');
  assert.equal(new OperationNames(10).label(named('x'.repeat(101))), 'other', 'an absurdly long name');
});

test('codes and limits: our own shapes pass, anything else collapses', () => {
  assert.equal(codeLabel('LIMIT_EXCEEDED'), 'LIMIT_EXCEEDED');
  assert.equal(codeLabel('drop table'), 'INTERNAL_SERVER_ERROR');
  assert.equal(codeLabel(undefined), 'INTERNAL_SERVER_ERROR');
  assert.equal(errorCode({ extensions: { code: 'QUERY_TIMEOUT' } }), 'QUERY_TIMEOUT');
  assert.equal(errorCode({ code: 'ENGINE_UNAVAILABLE' }), 'ENGINE_UNAVAILABLE');
  assert.equal(errorCode(new Error('boom')), 'INTERNAL_SERVER_ERROR');
  assert.equal(limitLabel('maxDepth'), 'maxDepth');
  assert.equal(limitLabel('budgets.athenaBytesPerDay'), 'budgets.athenaBytesPerDay');
  assert.equal(limitLabel(undefined), 'unspecified');
  assert.equal(limitLabel('a value with spaces'), 'unspecified');
  assert.deepEqual(['LIMIT_EXCEEDED', 'RATE_LIMITED', 'BAD_USER_INPUT'].map(isRefusal), [true, true, false]);
});

test('tracing starts only when the OTEL_* variables ask for it', () => {
  assert.equal(tracingRequested({}), false, 'off by default');
  assert.equal(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' }), true);
  assert.equal(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' }), true);
  assert.equal(tracingRequested({ OTEL_TRACES_EXPORTER: 'none' }), false);
  assert.equal(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), false);
  assert.equal(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), true, 'an endpoint alone: the SDK\'s default exporter is OTLP');
  assert.equal(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }), true);
  assert.equal(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }), false);
});
