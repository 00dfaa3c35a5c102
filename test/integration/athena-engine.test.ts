import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AthenaClient, StartQueryExecutionCommand, type AthenaClientConfig } from '@aws-sdk/client-athena';
import pino from 'pino';
import type { GlueTable } from '../../src/catalog/types';
import { formatIssue, loadConfig } from '../../src/config/load';
import { createAthenaEngine, type AthenaEngine, type AthenaEngineOptions } from '../../src/datasources/athena/engine';
import { createLocalEngine } from '../../src/datasources/local/engine';
import type { Engine, Row } from '../../src/datasources/types';
import { applyPolicy } from '../../src/policy/rewrite';
import { and, column, compare, inList, isNull } from '../../src/query/expr';
import type { RowQuery, TableView } from '../../src/query/types';
import { compileQuery } from '../../src/sql/compiler';
import { duckdbDialect } from '../../src/sql/duckdb';
import { athenaDialect } from '../../src/sql/trino';
import type { CompiledQuery } from '../../src/sql/types';
import { generateSampleLake } from '../../src/sample/generate';
import { startAthenaEmulator, type AthenaEmulator, type RecordedCall } from '../emulators/athena';
import { rejectsWithCode, withCode } from '../support/engine-errors';

/**
 * The Athena adapter through the real `@aws-sdk/client-athena` (signing, JSON 1.1 serde, retry
 * strategy, HTTP handler) against the emulator, which runs the SQL on DuckDB over a generated
 * sample lake. Polls are fast here (tens of ms) so the file stays short.
 */

const S3_PREFIX = 's3://lakegate-sample/';
const FAST_POLL = { firstMs: 15, maxMs: 120, factor: 2, maxCallsPerSecond: 100 };
const silent = pino({ level: 'silent' });

let dir: string;
let lakePath: string;
let tables: readonly GlueTable[];
let emulator: AthenaEmulator;
let local: Engine;
const engines: AthenaEngine[] = [];

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-athena-'));
  lakePath = path.join(dir, 'lake');
  await generateSampleLake({ outDir: lakePath, rows: 500, seed: 7 });
  const loaded = loadConfig(path.join(lakePath, 'lakegate.yaml'));
  if (!loaded.value) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  tables = loaded.value.catalog.tables;
  emulator = await startAthenaEmulator({ tables, lakePath, s3Prefix: S3_PREFIX });
  local = await createLocalEngine({ tables, lakePath, s3Prefix: S3_PREFIX });
});

after(async () => {
  await Promise.allSettled(engines.map((engine) => engine.close()));
  await local?.close();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

function client(config: Partial<AthenaClientConfig> = {}): AthenaClient {
  return new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, ...config });
}

function engine(options: Partial<AthenaEngineOptions> = {}, clientConfig: Partial<AthenaClientConfig> = {}): AthenaEngine {
  const created = createAthenaEngine({
    client: client(clientConfig),
    workGroup: 'primary',
    catalog: 'AwsDataCatalog',
    database: 'sales',
    logger: silent,
    poll: FAST_POLL,
    ...options,
  });
  engines.push(created);
  return created;
}

interface Send {
  readonly command: string;
  readonly input: Record<string, unknown>;
  /** `performance.now()` when the adapter called `client.send` (before any SDK retry). */
  readonly at: number;
}

/** A client that records every `send` the adapter makes: call times as the adapter paced them, free of network jitter. */
function recordingClient(): { client: AthenaClient; sends: Send[] } {
  const athenaClient = client();
  const sends: Send[] = [];
  athenaClient.middlewareStack.add(
    (next, context) => async (args) => {
      sends.push({ command: context.commandName ?? '', input: args.input as Record<string, unknown>, at: performance.now() });
      return next(args);
    },
    { step: 'initialize', name: 'recordSends' },
  );
  return { client: athenaClient, sends };
}

/** Requests the emulator got for one query (by id in the body, or by the token that started it). */
function callsFor(queryId: string, operation?: RecordedCall['operation']): RecordedCall[] {
  const token = emulator.queries().find((query) => query.id === queryId)?.token;
  return emulator.requests.filter((call) => (!operation || call.operation === operation)
    && (call.body['QueryExecutionId'] === queryId || (token && call.body['ClientRequestToken'] === token)));
}

const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

test('rows come back typed, nulls kept, parameters travel as Trino literals in ExecutionParameters', async () => {
  const athena = engine();
  const query: CompiledQuery = {
    sql: 'SELECT "transaction_id", "amount", CAST("amount" AS DOUBLE) AS "amount_double", CAST(1 AS INTEGER) AS "one", '
      + '"status" = \'completed\' AS "completed", "channel", "ts", CAST("dt" AS DATE) AS "day", "dt" '
      + 'FROM "sales"."transactions" WHERE "amount" >= ? AND "ts" < ? AND "customer_id" <> ? AND "currency" <> ? ORDER BY "transaction_id" LIMIT 200',
    params: [
      { value: '10.00', type: { kind: 'decimal', precision: 12, scale: 2 } },
      { value: '2024-03-01T00:00:00Z', type: { kind: 'timestamp' } },
      { value: 3, type: { kind: 'bigint' } },
      { value: "it's", type: { kind: 'string' } },
    ],
  };
  const result = await athena.execute(query);
  assert.ok(result.rows.length > 50, `rows: ${result.rows.length}`);
  for (const row of result.rows) {
    assert.match(row['transaction_id'] as string, /^\d+$/);
    assert.match(row['amount'] as string, /^\d+\.\d{2}$/);
    assert.ok(Number(row['amount']) >= 10);
    assert.equal(typeof row['amount_double'], 'number');
    assert.equal(row['amount_double'], Number(row['amount']));
    assert.equal(row['one'], 1);
    assert.equal(typeof row['completed'], 'boolean');
    assert.ok(row['channel'] === null || typeof row['channel'] === 'string');
    assert.match(row['ts'] as string, TS);
    assert.ok((row['ts'] as string) < '2024-03-01');
    assert.match(row['day'] as string, DAY);
    assert.equal(row['day'], row['dt']);
  }
  assert.ok(result.rows.some((row) => row['channel'] === null), 'some channels are null (unknown)');

  const start = callsFor(result.stats.queryId, 'StartQueryExecution')[0]!;
  assert.deepEqual(start.body['ExecutionParameters'], ["DECIMAL '10.00'", "TIMESTAMP '2024-03-01 00:00:00.000'", "BIGINT '3'", "'it''s'"]);
  assert.deepEqual(start.body['QueryExecutionContext'], { Catalog: 'AwsDataCatalog', Database: 'sales' });
  assert.equal(start.body['WorkGroup'], 'primary');
  assert.equal(start.body['ResultConfiguration'], undefined);
  assert.equal(start.body['ResultReuseConfiguration'], undefined);
  assert.match(start.body['ClientRequestToken'] as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(start.headers['x-amz-target'], 'AmazonAthena.StartQueryExecution');
  assert.equal(start.headers['content-type'], 'application/x-amz-json-1.1');

  // Stats: Athena's query id and bytes, our poll count.
  const emulated = emulator.queries().find((candidate) => candidate.id === result.stats.queryId)!;
  assert.equal(emulated.state, 'SUCCEEDED');
  assert.ok(result.stats.bytesScanned! > 0);
  assert.equal(result.stats.bytesScanned, emulated.bytesScanned);
  assert.equal(result.stats.rows, result.rows.length);
  assert.equal(result.stats.polls, callsFor(result.stats.queryId, 'GetQueryExecution').length);
  assert.ok(result.stats.polls >= 1);
  assert.equal(result.stats.pages, 1);
  assert.ok(result.stats.durationMs > 0);
  assert.equal(result.stats.reusedResult, false);
});

/** DuckDB prints timestamps with the fraction's trailing zeros cut (`...:45.43`, `...:45`); Athena always has milliseconds. */
function normalise(rows: readonly Row[]): Row[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => {
    const match = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?$/.exec(value) : null;
    return [key, match ? `${match[1]}.${(match[2] ?? '').padEnd(3, '0')}` : value];
  })));
}

test('a logical query compiled for Athena returns what the local engine returns (structs, arrays, nulls, masks)', async () => {
  const athena = engine();
  const events: RowQuery = {
    kind: 'rows',
    from: { kind: 'table', table: { database: 'web', table: 'events' } },
    select: ['event_id', 'user_id', 'event_type', 'ts', 'device', 'items', 'dt'].map((name) => ({ alias: name, column: column(name) })),
    where: and([inList(column('event_type'), [{ value: 'purchase', type: { kind: 'string' } }, { value: 'add_to_cart', type: { kind: 'string' } }]), compare('gte', column('dt'), { value: '2024-01-05', type: { kind: 'string' } })]),
    orderBy: [{ target: column('event_id'), direction: 'asc', nulls: 'last' }],
    limit: 40,
    offset: 5,
    perKeyLimit: null,
  };
  // A policy view: a row filter and a cell mask (Athena puts the mask's predicate in a WHERE inside EXISTS).
  const view: TableView = {
    kind: 'view',
    table: events.from.table,
    columns: ['event_id', 'user_id', 'event_type', 'ts', 'device', 'items', 'dt'],
    rowFilter: isNull(column('session_id'), true),
    masks: [{ column: 'user_id', visibleWhen: compare('eq', column('device', 'os'), { value: 'ios', type: { kind: 'string' } }) }],
  };
  for (const logical of [events, applyPolicy(events, view)]) {
    const expected = await local.execute(compileQuery(logical, duckdbDialect));
    const actual = await athena.execute(compileQuery(logical, athenaDialect));
    assert.ok(actual.rows.length > 0);
    assert.deepEqual(normalise(actual.rows), normalise(expected.rows));
  }
  const sample = (await athena.execute(compileQuery(events, athenaDialect))).rows;
  assert.ok(sample.some((row) => row['user_id'] === null), 'anonymous visitors read null');
  const withItems = sample.find((row) => Array.isArray(row['items']) && (row['items'] as unknown[]).length > 0)!;
  assert.deepEqual(Object.keys((withItems['items'] as Row[])[0]!), ['sku', 'qty']);
  assert.equal(typeof (withItems['items'] as Row[])[0]!['qty'], 'number');
  assert.deepEqual(Object.keys(withItems['device'] as Row), ['os', 'browser']);
});

test('no parameters: ExecutionParameters is left out; output location and result reuse are sent when configured', async () => {
  const athena = engine({ outputLocation: 's3://lakegate-results/athena/', resultReuseMinutes: 30 });
  const sql = { sql: 'SELECT count(*) AS "n", sum("amount") AS "total" FROM "sales"."transactions"', params: [] };
  const first = await athena.execute(sql);
  assert.deepEqual(first.rows, [{ n: '500', total: first.rows[0]!['total'] }]);
  assert.match(first.rows[0]!['total'] as string, /^\d+\.\d{2}$/);
  const start = callsFor(first.stats.queryId, 'StartQueryExecution')[0]!;
  assert.equal('ExecutionParameters' in start.body, false);
  assert.deepEqual(start.body['ResultConfiguration'], { OutputLocation: 's3://lakegate-results/athena/' });
  assert.deepEqual(start.body['ResultReuseConfiguration'], { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 30 } });

  const second = await athena.execute(sql);
  assert.notEqual(second.stats.queryId, first.stats.queryId);
  assert.deepEqual(second.rows, first.rows);
  assert.equal(second.stats.reusedResult, true);
  assert.equal(second.stats.bytesScanned, 0);
});

test('more than 1000 rows come back over several GetQueryResults pages, the header row skipped once', async () => {
  const athena = engine();
  const part = 'SELECT "transaction_id", "customer_id" FROM "sales"."transactions"';
  const result = await athena.execute({ sql: `${part} UNION ALL ${part} UNION ALL ${part} UNION ALL ${part} UNION ALL ${part}`, params: [] });
  assert.equal(result.rows.length, 2500);
  assert.ok(result.rows.every((row) => /^\d+$/.test(row['transaction_id'] as string)), 'no header row among the data');
  const pages = callsFor(result.stats.queryId, 'GetQueryResults');
  assert.equal(pages.length, 3);
  assert.equal(result.stats.pages, 3);
  assert.deepEqual(pages.map((page) => page.body['MaxResults']), [1000, 1000, 1000]);
  assert.equal(pages[0]!.body['NextToken'], undefined);
  assert.ok(pages.slice(1).every((page) => typeof page.body['NextToken'] === 'string'));
  const ids = new Map<string, number>();
  for (const row of result.rows) ids.set(row['transaction_id'] as string, (ids.get(row['transaction_id'] as string) ?? 0) + 1);
  assert.equal(ids.size, 500);
  assert.ok([...ids.values()].every((count) => count === 5));
});

test('QUEUED and RUNNING are polled and never taken for success; the wait between polls grows to its cap', async () => {
  const poll = { firstMs: 25, factor: 2, maxMs: 200, maxCallsPerSecond: 50 };
  const { client: recording, sends } = recordingClient();
  const athena = engine({ poll, client: recording });
  emulator.slow(800);
  let result;
  try {
    result = await athena.execute({ sql: 'SELECT count(*) AS "n" FROM "web"."events"', params: [] });
  } finally {
    emulator.slow(0);
  }
  assert.deepEqual(result.rows, [{ n: '500' }]);
  const polls = callsFor(result.stats.queryId, 'GetQueryExecution');
  const states = polls.map((call) => call.reportedState);
  assert.equal(states.at(-1), 'SUCCEEDED');
  assert.ok(states.slice(0, -1).every((state) => state === 'QUEUED' || state === 'RUNNING'), states.join());
  assert.ok(states.includes('RUNNING'));
  assert.equal(result.stats.polls, polls.length);
  assert.ok(polls.length >= 5 && polls.length <= 9, `polls: ${polls.length}`);
  const pollSends = sends.filter((send) => send.command === 'GetQueryExecutionCommand');
  assert.equal(pollSends.length, polls.length);
  const gaps = pollSends.slice(1).map((send, index) => send.at - pollSends[index]!.at);
  // 50, 100, 200, 200, ... plus one round trip each (timers fire late, never early).
  gaps.forEach((gap, index) => {
    const planned = Math.min(poll.maxMs, poll.firstMs * poll.factor ** (index + 1));
    assert.ok(gap >= planned - 1, `gap ${index} = ${gap.toFixed(1)} ms, planned ${planned}`);
    assert.ok(gap <= planned + 150, `gap ${index} = ${gap.toFixed(1)} ms, planned ${planned}`);
  });
  assert.ok(gaps[1]! > gaps[0]! && gaps[2]! > gaps[1]!, `growing: ${gaps.map((gap) => gap.toFixed(0)).join(', ')}`);
});

test('the GetQueryExecution rate of one engine stays bounded across concurrent queries', async () => {
  const { client: recording, sends } = recordingClient();
  const athena = engine({ poll: { firstMs: 5, factor: 1, maxMs: 5, maxCallsPerSecond: 20 }, client: recording });
  emulator.slow(400);
  let results;
  try {
    results = await Promise.all([1, 2, 3].map((n) => athena.execute({ sql: `SELECT ${n} AS "n"`, params: [] })));
  } finally {
    emulator.slow(0);
  }
  const times = sends.filter((send) => send.command === 'GetQueryExecutionCommand').map((send) => send.at);
  const gaps = times.slice(1).map((at, index) => at - times[index]!);
  // Three queries polled every 5 ms would make ~600 calls/s; the engine keeps to 20/s. Slots are
  // 50 ms apart; a timer that fires late (the first, say, on a busy machine) can take up to one
  // slot off the span and bring two calls nearer, never fit more calls into it.
  const span = times.at(-1)! - times[0]!;
  assert.ok(times.length >= 6, `calls: ${times.length}`);
  assert.ok(span >= (times.length - 2) * 50, `${times.length} calls in ${span.toFixed(0)} ms exceed 20/s`);
  // No burst either: any 200 ms holds at most its four slots and one late call.
  const busiest = Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + 200).length));
  assert.ok(busiest <= 5, `${busiest} calls within 200 ms (gaps ${gaps.map((gap) => gap.toFixed(0)).join(', ')})`);
  assert.equal(results.reduce((sum, result) => sum + result.stats.polls, 0), times.length);
  assert.equal(new Set(sends.filter((send) => send.command === 'GetQueryExecutionCommand').map((send) => send.input['QueryExecutionId'])).size, 3);
});

test('a FAILED query carries Athena\'s StateChangeReason and is not stopped', async () => {
  const athena = engine();
  const reason = "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved";
  emulator.failNext(reason);
  const stopsBefore = emulator.calls.StopQueryExecution;
  const queryId = await rejectsWithCode(athena.execute({ sql: 'SELECT 1', params: [] }), 'QUERY_FAILED', reason);
  assert.ok(queryId);
  assert.equal(emulator.queries().find((query) => query.id === queryId)!.state, 'FAILED');
  assert.equal(emulator.calls.StopQueryExecution, stopsBefore);
  // A query the engine itself rejects (DuckDB standing in for Trino here).
  await assert.rejects(athena.execute({ sql: 'SELECT "nope" FROM "sales"."customers"', params: [] }), withCode('QUERY_FAILED', /nope/));
  // A placeholder count that does not match the parameters fails in the engine, as in Athena.
  await assert.rejects(athena.execute({ sql: 'SELECT ? AS "a", ? AS "b"', params: [{ value: 'x', type: { kind: 'string' } }] }), withCode('QUERY_FAILED', /Incorrect number of parameters/));
});

test('the database context: qualified names work from `default`; an unknown database fails in the engine', async () => {
  const fromDefault = await engine({ database: 'default' }).execute({ sql: 'SELECT count(*) AS "n" FROM "hr"."employees"', params: [] });
  assert.ok(Number(fromDefault.rows[0]!['n']) > 0);
  const unqualified = await engine({ database: 'sales' }).execute({ sql: 'SELECT count(*) AS "n" FROM "customers"', params: [] });
  assert.ok(Number(unqualified.rows[0]!['n']) > 0);
  await assert.rejects(engine({ database: 'nope' }).execute({ sql: 'SELECT 1', params: [] }), withCode('QUERY_FAILED', /SCHEMA_NOT_FOUND/));
});

test('a parameter that does not fit its type fails before anything is sent', async () => {
  const athena = engine();
  const starts = emulator.calls.StartQueryExecution;
  await assert.rejects(athena.execute({ sql: 'SELECT ? AS "a"', params: [{ value: '1; DROP TABLE x', type: { kind: 'bigint' } }] }), withCode('QUERY_FAILED', /cannot bind the query parameters/));
  assert.equal(emulator.calls.StartQueryExecution, starts);
});

test('a transient FAILED that Athena retries itself (FAILED → QUEUED) is looked at twice, then followed to success', async () => {
  const athena = engine();
  emulator.flapNext();
  const result = await athena.execute({ sql: 'SELECT 42 AS "answer"', params: [] });
  assert.deepEqual(result.rows, [{ answer: 42 }]);
  const states = callsFor(result.stats.queryId, 'GetQueryExecution').map((call) => call.reportedState);
  assert.ok(states.includes('FAILED'), states.join());
  assert.equal(states.at(-1), 'SUCCEEDED');
});

test('Athena\'s own time limit (FAILED, "Query timeout") reads as QUERY_TIMEOUT', async () => {
  const athena = engine();
  emulator.engineTimeout();
  const stopsBefore = emulator.calls.StopQueryExecution;
  await assert.rejects(athena.execute({ sql: 'SELECT 1', params: [] }), withCode('QUERY_TIMEOUT', 'Query timeout'));
  assert.equal(emulator.calls.StopQueryExecution, stopsBefore, 'a finished query is not stopped');
});

test('throttling is retried by the SDK, with the same ClientRequestToken on the retried StartQueryExecution', async () => {
  const athena = engine();
  emulator.throttleNext(1, { operation: 'StartQueryExecution', errorType: 'TooManyRequestsException' });
  const result = await athena.execute({ sql: 'SELECT 7 AS "n"', params: [] });
  assert.deepEqual(result.rows, [{ n: 7 }]);
  const starts = callsFor(result.stats.queryId, 'StartQueryExecution');
  assert.deepEqual(starts.map((call) => call.outcome), ['TooManyRequestsException', 'ok']);
  assert.equal(starts[0]!.body['ClientRequestToken'], starts[1]!.body['ClientRequestToken']);
  assert.equal(starts[1]!.headers['amz-sdk-request'], 'attempt=2; max=3');
  assert.equal(emulator.queries().filter((query) => query.token === starts[0]!.body['ClientRequestToken']).length, 1);
  assert.equal(result.stats.throttled, 0, 'the SDK absorbed it');
});

test('throttling the SDK gives up on is retried by the adapter (same token); past its budget it is ENGINE_UNAVAILABLE', async () => {
  const athena = engine({ throttleRetries: 3 }, { maxAttempts: 1 });
  emulator.throttleNext(2, { operation: 'StartQueryExecution', errorType: 'TooManyRequestsException' });
  emulator.throttleNext(2, { operation: 'GetQueryExecution' });
  emulator.throttleNext(1, { operation: 'GetQueryResults' });
  const result = await athena.execute({ sql: 'SELECT 8 AS "n"', params: [] });
  assert.deepEqual(result.rows, [{ n: 8 }]);
  assert.equal(result.stats.throttled, 5);
  const starts = callsFor(result.stats.queryId, 'StartQueryExecution');
  assert.equal(starts.length, 3);
  assert.equal(new Set(starts.map((call) => call.body['ClientRequestToken'])).size, 1);
  assert.deepEqual(callsFor(result.stats.queryId, 'GetQueryExecution').slice(0, 2).map((call) => call.outcome), ['ThrottlingException', 'ThrottlingException']);

  const queriesBefore = emulator.queries().length;
  emulator.throttleNext(4, { operation: 'StartQueryExecution' });
  await assert.rejects(athena.execute({ sql: 'SELECT 9 AS "n"', params: [] }), withCode('ENGINE_UNAVAILABLE', /throttling/));
  assert.equal(emulator.queries().length, queriesBefore, 'no query was started');
});

test('an abort mid-query calls StopQueryExecution and yields QUERY_CANCELLED', async () => {
  const athena = engine();
  emulator.slow(3_000);
  const controller = new AbortController();
  const started = performance.now();
  const stopsBefore = emulator.calls.StopQueryExecution;
  try {
    const running = athena.execute({ sql: 'SELECT count(*) AS "n" FROM "sales"."transactions"', params: [] }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    const queryId = await rejectsWithCode(running, 'QUERY_CANCELLED');
    assert.ok(performance.now() - started < 1_000, 'cancelled promptly');
    assert.equal(emulator.calls.StopQueryExecution, stopsBefore + 1);
    assert.deepEqual(callsFor(queryId!, 'StopQueryExecution').map((call) => call.body['QueryExecutionId']), [queryId]);
    assert.equal(emulator.queries().find((query) => query.id === queryId)!.state, 'CANCELLED');
  } finally {
    emulator.slow(0);
  }
  // Already aborted: nothing is sent at all.
  const starts = emulator.calls.StartQueryExecution;
  await assert.rejects(athena.execute({ sql: 'SELECT 1', params: [] }, { signal: AbortSignal.abort() }), withCode('QUERY_CANCELLED'));
  assert.equal(emulator.calls.StartQueryExecution, starts);
});

test('a deadline that passes stops the query and yields QUERY_TIMEOUT', async () => {
  const athena = engine();
  emulator.slow(3_000);
  const started = performance.now();
  try {
    const queryId = await rejectsWithCode(athena.execute({ sql: 'SELECT 1 AS "n"', params: [] }, { deadline: Date.now() + 200 }), 'QUERY_TIMEOUT');
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 190 && elapsed < 1_000, `timed out after ${elapsed.toFixed(0)} ms`);
    assert.equal(callsFor(queryId!, 'StopQueryExecution').length, 1);
    assert.equal(emulator.queries().find((query) => query.id === queryId)!.state, 'CANCELLED');
  } finally {
    emulator.slow(0);
  }
  await assert.rejects(athena.execute({ sql: 'SELECT 1', params: [] }, { deadline: Date.now() - 1 }), withCode('QUERY_TIMEOUT'));
});

test('a dropped connection is retried by the SDK; a StartQueryExecution whose answer was lost does not start a second query', async () => {
  const athena = engine();
  emulator.dropNextConnection({ operation: 'StartQueryExecution', when: 'after' });
  emulator.dropNextConnection({ operation: 'GetQueryExecution', when: 'before' });
  emulator.dropNextConnection({ operation: 'GetQueryResults', when: 'after' });
  const result = await athena.execute({ sql: 'SELECT 11 AS "n"', params: [] });
  assert.deepEqual(result.rows, [{ n: 11 }]);
  const starts = callsFor(result.stats.queryId, 'StartQueryExecution');
  assert.deepEqual(starts.map((call) => call.outcome), ['dropped', 'ok']);
  assert.equal(starts[0]!.body['ClientRequestToken'], starts[1]!.body['ClientRequestToken']);
  assert.equal(emulator.queries().filter((query) => query.token === starts[0]!.body['ClientRequestToken']).length, 1, 'the retry got the same query back');
  assert.deepEqual(callsFor(result.stats.queryId, 'GetQueryResults').map((call) => call.outcome), ['dropped', 'ok']);
});

test('a connection the SDK may not retry surfaces as ENGINE_UNAVAILABLE', async () => {
  const athena = engine({}, { maxAttempts: 1 });
  const queriesBefore = emulator.queries().length;
  emulator.dropNextConnection({ operation: 'StartQueryExecution', when: 'before' });
  await assert.rejects(athena.execute({ sql: 'SELECT 1', params: [] }), withCode('ENGINE_UNAVAILABLE', /unreachable/));
  assert.equal(emulator.queries().length, queriesBefore);
  // Polling that fails for good stops the query it leaves behind.
  emulator.slow(300);
  try {
    emulator.dropNextConnection({ operation: 'GetQueryExecution', when: 'before' });
    const queryId = await rejectsWithCode(athena.execute({ sql: 'SELECT 2', params: [] }), 'ENGINE_UNAVAILABLE');
    assert.equal(callsFor(queryId!, 'StopQueryExecution').length, 1);
  } finally {
    emulator.slow(0);
  }
});

test('the SDK fills a missing ClientRequestToken per send (kept across its own retries), so the adapter brings its own', async () => {
  const athenaClient = client();
  try {
    const input = { QueryString: 'SELECT 1', WorkGroup: 'primary', QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'sales' } };
    emulator.dropNextConnection({ operation: 'StartQueryExecution', when: 'after' });
    const first = await athenaClient.send(new StartQueryExecutionCommand(input));
    const second = await athenaClient.send(new StartQueryExecutionCommand(input));
    assert.notEqual(first.QueryExecutionId, second.QueryExecutionId, 'a new send is a new query');
    const firstCalls = callsFor(first.QueryExecutionId!, 'StartQueryExecution');
    assert.deepEqual(firstCalls.map((call) => call.outcome), ['dropped', 'ok'], 'the SDK retry reused the filled token');
    assert.match(firstCalls[0]!.body['ClientRequestToken'] as string, /^[0-9a-f-]{36}$/);
  } finally {
    athenaClient.destroy();
  }
});

test('health() reads the workgroup; close() stops running queries and shuts the engine', async () => {
  assert.equal(await engine().health(), true);
  assert.equal(await engine({ workGroup: 'missing' }).health(), false);

  const athena = engine();
  emulator.slow(3_000);
  try {
    const running = athena.execute({ sql: 'SELECT 3 AS "n"', params: [] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopsBefore = emulator.calls.StopQueryExecution;
    await athena.close();
    await assert.rejects(running, withCode('ENGINE_UNAVAILABLE', /shutting down/));
    assert.equal(emulator.calls.StopQueryExecution, stopsBefore + 1);
  } finally {
    emulator.slow(0);
  }
  await assert.rejects(athena.execute({ sql: 'SELECT 1', params: [] }), withCode('ENGINE_UNAVAILABLE'));
  assert.equal(await athena.health(), false);
  await athena.close();
});
