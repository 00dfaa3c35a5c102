import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { AthenaClient } from '@aws-sdk/client-athena';
import pino from 'pino';
import { formatIssue, loadConfig } from '../../src/config/load';
import { createAthenaEngine, type AthenaEngine, type AthenaQueryResult } from '../../src/datasources/athena/engine';
import type { EngineError } from '../../src/datasources/errors';
import { forwardingEngine } from '../../src/datasources/forwarding';
import { isDetached, isResumable, type Detached } from '../../src/datasources/types';
import type { CompiledQuery } from '../../src/sql/types';
import { generateSampleLake } from '../../src/sample/generate';
import { startAthenaEmulator, type AthenaEmulator, type QueryState } from '../emulators/athena';
import { rejectsWithCode, withCode } from '../support/engine-errors';

/**
 * The resumable mode of the Athena adapter (through the real SDK, against the emulator): a query
 * still running at its detach time is left running (no StopQueryExecution) and picked up again by
 * id, possibly by another engine instance (another replica); abort and stopQuery do stop it.
 */

const S3_PREFIX = 's3://lakegate-sample/';
const FAST_POLL = { firstMs: 15, maxMs: 60, factor: 2, maxCallsPerSecond: 200 };
const silent = pino({ level: 'silent' });
const COUNT: CompiledQuery = { sql: 'SELECT count(*) AS "n" FROM "sales"."transactions"', params: [] };

let dir: string;
let emulator: AthenaEmulator;
const engines: AthenaEngine[] = [];

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-athena-resume-'));
  const lakePath = path.join(dir, 'lake');
  await generateSampleLake({ outDir: lakePath, rows: 200, seed: 11 });
  const loaded = loadConfig(path.join(lakePath, 'lakegate.yaml'));
  if (!loaded.value) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  emulator = await startAthenaEmulator({ tables: loaded.value.catalog.tables, lakePath, s3Prefix: S3_PREFIX });
});

afterEach(() => {
  emulator.slow(0);
});

after(async () => {
  await Promise.allSettled(engines.map((engine) => engine.close()));
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh engine with its own client: a new one stands for another replica. */
function engine(): AthenaEngine {
  const created = createAthenaEngine({
    client: new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    workGroup: 'primary',
    catalog: 'AwsDataCatalog',
    database: 'sales',
    logger: silent,
    poll: FAST_POLL,
  });
  engines.push(created);
  return created;
}

const stateOf = (queryId: string): QueryState | undefined => emulator.queries().find((query) => query.id === queryId)?.state;
const callsFor = (queryId: string, operation: string): number =>
  emulator.requests.filter((call) => call.operation === operation && call.body['QueryExecutionId'] === queryId).length;

async function waitForState(queryId: string, state: QueryState): Promise<void> {
  for (let tries = 0; stateOf(queryId) !== state; tries += 1) {
    assert.ok(tries < 200, `query ${queryId} never reached ${state} (is ${stateOf(queryId)})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function asDetached(outcome: AthenaQueryResult | Detached): Detached {
  assert.ok(isDetached(outcome), `expected Detached, got rows: ${JSON.stringify('rows' in outcome ? outcome.rows : outcome)}`);
  return outcome;
}

function asResult(outcome: AthenaQueryResult | Detached): AthenaQueryResult {
  assert.ok(!isDetached(outcome), `expected a result, got ${JSON.stringify(outcome)}`);
  return outcome;
}

test('the Athena engine is resumable, and stays so behind a forwarding wrapper', async () => {
  const athena = engine();
  assert.equal(athena.capabilities.resumable, true);
  assert.ok(isResumable(athena));
  const wrapped = forwardingEngine(athena, (inner, query, options) => inner.execute(query, options));
  assert.ok(isResumable(wrapped), 'decorating an engine does not take its resumable mode away');
  const outcome = await wrapped.executeDetachable({ sql: 'SELECT 1 AS n', params: [] }, { detachAt: Date.now() + 5_000 });
  assert.ok(!isDetached(outcome));
  assert.deepEqual(outcome.rows, [{ n: 1 }]);
});

test('detach leaves the query running; resume detaches again, then returns the typed rows; one StartQueryExecution', async () => {
  const athena = engine();
  emulator.slow(600);
  const starts = emulator.calls.StartQueryExecution;
  const stops = emulator.calls.StopQueryExecution;
  const began = Date.now();

  const first = asDetached(await athena.executeDetachable(COUNT, { detachAt: Date.now() + 100 }));
  assert.equal(first.running, true);
  assert.match(first.queryId, /\S/);
  assert.ok(Date.now() - began < 400, `detached promptly (${Date.now() - began} ms)`);
  assert.equal(stateOf(first.queryId), 'RUNNING', 'not stopped');
  assert.equal(emulator.calls.StopQueryExecution, stops, 'no StopQueryExecution');

  // Another replica picks it up by id; still running at its detach time.
  const again = asDetached(await engine().resume(first.queryId, { detachAt: Date.now() + 100 }));
  assert.deepEqual(again, { running: true, queryId: first.queryId });
  assert.equal(stateOf(first.queryId), 'RUNNING');

  const result = asResult(await athena.resume(first.queryId, { detachAt: Date.now() + 5_000 }));
  assert.equal(result.rows.length, 1);
  assert.deepEqual(result.rows, [{ n: '200' }], 'typed as Athena types bigint (a string)');
  assert.equal(result.stats.queryId, first.queryId);
  assert.ok(result.stats.polls >= 1);
  assert.equal(stateOf(first.queryId), 'SUCCEEDED');
  assert.equal(emulator.calls.StartQueryExecution, starts + 1, 'exactly one StartQueryExecution');
  assert.equal(emulator.calls.StopQueryExecution, stops, 'never stopped');
  assert.equal(callsFor(first.queryId, 'StopQueryExecution'), 0);

  // A finished query resumes straight to its results, however close the detach time.
  const late = asResult(await engine().resume(first.queryId, { detachAt: Date.now() }));
  assert.deepEqual(late.rows, result.rows);
});

test('stopQuery stops a running query (idempotently); a following resume rejects with QUERY_CANCELLED', async () => {
  const athena = engine();
  emulator.slow(3_000);
  const { queryId } = asDetached(await athena.executeDetachable(COUNT, { detachAt: Date.now() + 80 }));
  assert.equal(stateOf(queryId), 'RUNNING');

  await athena.stopQuery(queryId);
  assert.equal(callsFor(queryId, 'StopQueryExecution'), 1);
  assert.equal(stateOf(queryId), 'CANCELLED');
  await engine().stopQuery(queryId); // again, from another replica: harmless
  assert.equal(stateOf(queryId), 'CANCELLED');

  await assert.rejects(athena.resume(queryId, { detachAt: Date.now() + 1_000 }), (error: EngineError) => {
    withCode('QUERY_CANCELLED')(error);
    assert.equal(error.queryId, queryId);
    return true;
  });
});

test('a fast query through executeDetachable returns its rows directly', async () => {
  const athena = engine();
  const stops = emulator.calls.StopQueryExecution;
  const outcome = await athena.executeDetachable({ sql: 'SELECT ? AS "n", \'x\' AS "s"', params: [{ value: 7, type: { kind: 'bigint' } }] }, { detachAt: Date.now() + 10_000 });
  const result = asResult(outcome);
  assert.deepEqual(result.rows, [{ n: '7', s: 'x' }]);
  assert.equal(emulator.calls.StopQueryExecution, stops);
});

test('an abort during executeDetachable stops the query (QUERY_CANCELLED), as execute does', async () => {
  const athena = engine();
  emulator.slow(3_000);
  const controller = new AbortController();
  const running = athena.executeDetachable(COUNT, { signal: controller.signal, detachAt: Date.now() + 10_000 });
  setTimeout(() => controller.abort(), 150);
  const queryId = await rejectsWithCode(running, 'QUERY_CANCELLED');
  assert.ok(queryId);
  assert.equal(callsFor(queryId, 'StopQueryExecution'), 1);
  assert.equal(stateOf(queryId), 'CANCELLED');
});

test('with keepRunningOnAbort an abort ends only the wait: the query runs on and another waiter gets its rows', async () => {
  const athena = engine();
  emulator.slow(700);
  const { queryId } = asDetached(await athena.executeDetachable(COUNT, { detachAt: Date.now() + 50 }));
  const controller = new AbortController();
  const waiting = engine().resume(queryId, { signal: controller.signal, detachAt: Date.now() + 10_000, keepRunningOnAbort: true });
  setTimeout(() => controller.abort(), 60);
  await assert.rejects(waiting, withCode('QUERY_CANCELLED'));
  assert.equal(callsFor(queryId, 'StopQueryExecution'), 0, 'not stopped');
  assert.equal(stateOf(queryId), 'RUNNING');
  assert.deepEqual(asResult(await athena.resume(queryId, { detachAt: Date.now() + 10_000 })).rows, [{ n: '200' }]);
});

test('probe looks once, without waiting or fetching results: running, succeeded, failed (with the engine message)', async () => {
  const athena = engine();
  emulator.slow(400);
  const { queryId } = asDetached(await athena.executeDetachable(COUNT, { detachAt: Date.now() + 30 }));
  const results = emulator.calls.GetQueryResults;
  assert.deepEqual(await engine().probe(queryId), { state: 'running' });
  asResult(await athena.resume(queryId, { detachAt: Date.now() + 10_000 }));
  const afterResults = emulator.calls.GetQueryResults;
  assert.ok(afterResults > results);
  assert.deepEqual(await engine().probe(queryId), { state: 'succeeded' });
  assert.equal(emulator.calls.GetQueryResults, afterResults, 'probe reads no result pages');

  emulator.failNext('SYNTAX_ERROR: line 1:8: Column \'nope\' cannot be resolved');
  const failed = asDetached(await athena.executeDetachable(COUNT, { detachAt: Date.now() + 1 }));
  await waitForState(failed.queryId, 'FAILED');
  const probe = await engine().probe(failed.queryId);
  assert.equal(probe.state, 'failed');
  if (probe.state === 'failed') assert.match(probe.error.message, /Column 'nope' cannot be resolved/);
  await assert.rejects(engine().probe(''), withCode('QUERY_FAILED'));
});

test('a deadline before the detach time stops a resumed query (QUERY_TIMEOUT)', async () => {
  const athena = engine();
  emulator.slow(3_000);
  const { queryId } = asDetached(await athena.executeDetachable(COUNT, { detachAt: Date.now() + 50 }));
  await assert.rejects(engine().resume(queryId, { deadline: Date.now() + 120, detachAt: Date.now() + 10_000 }), withCode('QUERY_TIMEOUT'));
  assert.equal(callsFor(queryId, 'StopQueryExecution'), 1);
  assert.equal(stateOf(queryId), 'CANCELLED');
});

test('resume refuses a missing id or detach time; a closed engine refuses to resume', async () => {
  const athena = engine();
  await assert.rejects(athena.resume('', { detachAt: Date.now() + 100 }), withCode('QUERY_FAILED'));
  await assert.rejects(athena.resume('abc', { detachAt: Number.NaN }), RangeError);
  await assert.rejects(athena.executeDetachable(COUNT, { detachAt: undefined as unknown as number }), RangeError);
  const closing = engine();
  await closing.close();
  await assert.rejects(closing.resume('abc', { detachAt: Date.now() + 100 }), withCode('ENGINE_UNAVAILABLE'));
});
