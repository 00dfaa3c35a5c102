import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test, type TestContext } from 'node:test';
import { ExecuteStatementCommand, RedshiftDataClient, type RedshiftDataClientConfig } from '@aws-sdk/client-redshift-data';
import pg, { type Client } from 'pg';
import pino from 'pino';
import type { EngineError } from '../../src/datasources/errors';
import { createRedshiftDataEngine, type RedshiftDataEngine, type RedshiftDataEngineOptions } from '../../src/datasources/redshift-data/engine';
import { quoteLongValues } from '../../src/datasources/redshift-data/exact-longs';
import { createRedshiftPgEngine, type RedshiftPgEngine, type RedshiftPgEngineOptions } from '../../src/datasources/redshift-pg/engine';
import { isStreaming } from '../../src/datasources/streams';
import { isDetached, isResumable, type Engine, type Row } from '../../src/datasources/types';
import { and, between, column, compare, inList, isNull, like, or } from '../../src/query/expr';
import type { AggregateQuery, Literal, LogicalQuery, RowQuery } from '../../src/query/types';
import { compileQuery } from '../../src/sql/compiler';
import { dialectNamed } from '../../src/sql/dialects';
import type { CompiledQuery } from '../../src/sql/types';
import { startRedshiftDataEmulator, type RecordedCall, type RedshiftDataEmulator } from '../emulators/redshift-data';
import {
  activeBackends, connectRedshiftStandIn, createRedshiftLake, dropRedshiftLake, redshiftPgConfig, redshiftSession,
  REDSHIFT_ROW_COUNT, REDSHIFT_SCHEMA, UNSAFE_ID, waitFor,
} from '../support/redshift-lake';
import { withCode } from '../support/engine-errors';

/**
 * Both Redshift adapters against PostgreSQL 15 standing in for Redshift: `redshift-pg` straight
 * over the wire, `redshift-data` through the real `@aws-sdk/client-redshift-data` (signing, JSON 1.1
 * serde, retry strategy, HTTP handler) against the Data API emulator, which runs the statements on
 * the same PostgreSQL. Both must hand on the same typed rows as a direct `pg` query.
 *
 * What the stand-in papers over: PostgreSQL is not Redshift (see sql-dialects.test.ts); the
 * emulator follows the Data API's documented rules and shapes, not every message word for word.
 */

const silent = pino({ level: 'silent' });
const FAST_POLL = { firstMs: 10, maxMs: 80, factor: 1.5, maxCallsPerSecond: 500 };
const table = { database: REDSHIFT_SCHEMA, table: 'transactions' };
const from = { kind: 'table', table } as const;
const COLUMNS = ['transaction_id', 'customer_id', 'amount', 'currency', 'channel', 'ts'];

let admin: Client | null = null;
let unavailable = '';
let emulator: RedshiftDataEmulator;
const engines: Engine[] = [];

before(async () => {
  const connected = await connectRedshiftStandIn();
  if (typeof connected === 'string') {
    unavailable = connected;
    return;
  }
  admin = connected;
  await createRedshiftLake(admin);
  emulator = await startRedshiftDataEmulator({ pgConfig: redshiftPgConfig(), onConnect: redshiftSession });
});

after(async () => {
  await Promise.allSettled(engines.map((engine) => engine.close()));
  await emulator?.close();
  if (admin) {
    await dropRedshiftLake(admin);
    await admin.end();
  }
});

function dataClient(config: Partial<RedshiftDataClientConfig> = {}): RedshiftDataClient {
  return new RedshiftDataClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1, ...config });
}

function dataEngine(options: Partial<RedshiftDataEngineOptions> = {}, clientConfig: Partial<RedshiftDataClientConfig> = {}): RedshiftDataEngine {
  const engine = createRedshiftDataEngine({
    client: dataClient(clientConfig),
    database: 'postgres',
    target: { clusterIdentifier: 'lakegate' },
    auth: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:lakegate-AbCdEf' },
    poll: FAST_POLL,
    logger: silent,
    ...options,
  });
  engines.push(engine);
  return engine;
}

function pgEngine(options: Partial<RedshiftPgEngineOptions> = {}): RedshiftPgEngine {
  const engine = createRedshiftPgEngine({ pool: { ...redshiftPgConfig(), max: 4 }, onConnect: redshiftSession, logger: silent, ...options });
  engines.push(engine);
  return engine;
}

/** Skips the test without PostgreSQL; otherwise the admin connection. */
function standIn(t: TestContext): Client | null {
  if (!admin) t.skip(unavailable);
  return admin;
}

/** A direct `pg` query: pg's own parsers, except timestamps and dates kept as the text the server sent. */
async function direct(query: CompiledQuery): Promise<Row[]> {
  const asText = (value: string): string => value;
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => ([1082, 1114, 1184].includes(oid) ? asText : pg.types.getTypeParser(oid, format)),
  } as unknown as pg.CustomTypesConfig;
  const result = await admin!.query({ text: query.sql, values: query.params.map((param) => param.value), types });
  return result.rows as Row[];
}

function callsFor(statementId: string, operation?: RecordedCall['operation']): RecordedCall[] {
  const token = emulator.statements().find((statement) => statement.id === statementId)?.token;
  return emulator.requests.filter((call) => (!operation || call.operation === operation)
    && (call.body['Id'] === statementId || (token && call.body['ClientToken'] === token)));
}

// ---- logical queries ----------------------------------------------------------------------------

const str = (value: string): Literal => ({ value, type: { kind: 'string' } });
const dec = (value: string, precision: number, scale: number): Literal => ({ value, type: { kind: 'decimal', precision, scale } });
const ts = (value: string): Literal => ({ value, type: { kind: 'timestamp' } });
const big = (value: string): Literal => ({ value, type: { kind: 'bigint' } });
const byId = { target: column('transaction_id'), direction: 'asc', nulls: 'last' } as const;

function rows(partial: Partial<RowQuery> = {}): RowQuery {
  return {
    kind: 'rows', from, select: COLUMNS.map((name) => ({ alias: name, column: column(name) })),
    where: null, orderBy: [byId], limit: null, offset: 0, perKeyLimit: null, ...partial,
  };
}

const BY_DAY: AggregateQuery = {
  kind: 'aggregate', from,
  where: compare('lt', column('ts'), ts('2024-01-20T00:00:00Z')),
  groupBy: [{ alias: 'day', column: column('ts'), grain: 'day' }, { alias: 'channel', column: column('channel'), grain: null }],
  measures: [
    { alias: 'rows', fn: 'count', column: null, columnType: null },
    { alias: 'customers', fn: 'countDistinct', column: column('customer_id'), columnType: { kind: 'bigint' } },
    { alias: 'total', fn: 'sum', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } },
    { alias: 'mean', fn: 'avg', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } },
    { alias: 'last', fn: 'max', column: column('ts'), columnType: { kind: 'timestamp' } },
  ],
  orderBy: [{ target: { alias: 'day' }, direction: 'asc', nulls: 'first' }, { target: { alias: 'channel' }, direction: 'asc', nulls: 'first' }],
  limit: null, offset: 0,
};

const CASES: { name: string; query: LogicalQuery; pages?: number }[] = [
  { name: 'every row, ordered', query: rows(), pages: Math.ceil(REDSHIFT_ROW_COUNT / 100) },
  {
    name: 'filters with every parameter kind',
    query: rows({
      where: or([
        and([inList(column('currency'), [str('EUR'), str('USD')]), between(column('amount'), dec('100', 3, 0), dec('2500.50', 6, 2)), isNull(column('channel'), true)]),
        and([compare('gte', column('transaction_id'), big('1400')), compare('lt', column('ts'), ts('2024-02-07 12:00:00.250'))]),
        compare('eq', column('transaction_id'), big(UNSAFE_ID)),
      ]),
    }),
  },
  { name: 'empty-string parameter and escaped LIKE', query: rows({ where: or([compare('eq', column('channel'), str('')), like(column('currency'), str('J\\_Y')), like(column('currency'), str('JP%'))]), limit: 250 }) },
  { name: 'aggregate by day and channel', query: BY_DAY },
];

for (const item of CASES) {
  test(`same typed rows from both adapters and a direct query: ${item.name}`, async (t) => {
    if (!standIn(t)) return;
    const viaData = await dataEngine().execute(compileQuery(item.query, dialectNamed('redshift-data')));
    const viaPg = await pgEngine().execute(compileQuery(item.query, dialectNamed('redshift-pg')));
    const expected = await direct(compileQuery(item.query, dialectNamed('redshift-pg')));
    assert.ok(expected.length > 0);
    assert.deepEqual(viaData.rows, expected, 'redshift-data = direct pg');
    assert.deepEqual(viaPg.rows, expected, 'redshift-pg = direct pg');
    assert.equal(viaData.stats.rows, expected.length);
    assert.equal(viaPg.stats.rows, expected.length);
    if (item.pages) {
      assert.equal(viaData.stats.pages, item.pages, 'GetStatementResult pages of 100 records');
      assert.equal(callsFor(viaData.stats.queryId, 'GetStatementResult').length, item.pages);
    }
  });
}

test('rows are typed as the road expects: int8 and numeric as strings, timestamps as text, nulls kept, ids past 2^53 exact', async (t) => {
  if (!standIn(t)) return;
  const result = await dataEngine().execute(compileQuery(rows(), dialectNamed('redshift-data')));
  assert.equal(result.rows.length, REDSHIFT_ROW_COUNT);
  const first = result.rows[0]!;
  assert.deepEqual(first, { transaction_id: '1', customer_id: 8, amount: '37.79', currency: 'USD', channel: 'app', ts: '2024-01-01 00:37:00.25' });
  const unsafe = result.rows.at(-1)!;
  assert.deepEqual(unsafe, { transaction_id: UNSAFE_ID, customer_id: 41, amount: '9999999999.99', currency: 'EUR', channel: null, ts: '2024-12-31 23:59:59.999' });
  assert.ok(result.rows.some((row) => row['amount'] === null), 'null amounts kept');
  assert.ok(result.rows.some((row) => row['channel'] === ''), 'empty channels are not nulls');
  // The emulator really sent the unsafe id as a bare JSON number; the adapter kept it exact.
  assert.equal(quoteLongValues(`{"Records":[[{"longValue":${UNSAFE_ID}},{"stringValue":"\\"longValue\\":${UNSAFE_ID}"}]]}`),
    `{"Records":[[{"longValue":"${UNSAFE_ID}"},{"stringValue":"\\"longValue\\":${UNSAFE_ID}"}]]}`);

  const stats = result.stats;
  assert.match(stats.queryId, /^[0-9a-f-]{36}$/);
  assert.equal(stats.bytesScanned, null);
  assert.ok(stats.polls >= 1);
  assert.ok(stats.redshiftQueryId! > 0);
  assert.ok(stats.engineDurationMs! >= 0);
});

test('every Field member and type: int4, float8, bool, varbyte, super, null int8, repeated column names', async (t) => {
  if (!standIn(t)) return;
  const sql = "SELECT CAST(7 AS INTEGER) AS small, CAST(2.5 AS DOUBLE PRECISION) AS half, 1 = 1 AS yes, decode('01ff', 'hex') AS bytes, "
    + "CAST('{\"os\": \"ios\", \"n\": [1, 2]}' AS json) AS device, CAST(NULL AS BIGINT) AS nothing, CAST(-42 AS BIGINT) AS negative, "
    + "'x' AS same, 'y' AS same, CAST('2024-02-29' AS DATE) AS day";
  const expected = { small: 7, half: 2.5, yes: true, bytes: '01ff', device: { os: 'ios', n: [1, 2] }, nothing: null, negative: '-42', same: 'x', same_2: 'y', day: '2024-02-29' };
  const viaData = await dataEngine().execute({ sql, params: [] });
  const viaPg = await pgEngine().execute({ sql, params: [] });
  assert.deepEqual(viaData.rows, [expected]);
  assert.deepEqual(viaPg.rows, [expected]);
});

test('the emulator binds :name parameters only outside literals, identifiers, comments and :: casts', async (t) => {
  if (!standIn(t)) return;
  const sql = "SELECT ':p1' AS literal, CAST(:p1 AS INTEGER)::text AS cast, 'it\\'s :p1' AS escaped, :p1::int + CAST(:p1 AS INTEGER) AS twice, "
    + '1 AS ":p1" /* :p1 */ -- :p1\n';
  const result = await dataEngine().execute({ sql, params: [{ value: 5, type: { kind: 'int' } }] });
  assert.deepEqual(result.rows, [{ literal: ':p1', cast: '5', escaped: "it's :p1", twice: 10, ':p1': 1 }]);
});

test('ExecuteStatement carries SQL, named parameters, target, auth and a ClientToken; no Parameters when there are none', async (t) => {
  if (!standIn(t)) return;
  const engine = dataEngine({ statementName: 'lakegate' });
  const query = compileQuery(rows({ where: and([compare('eq', column('currency'), str("it's")), compare('eq', column('channel'), str(''))]) }), dialectNamed('redshift-data'));
  const result = await engine.execute(query);
  assert.deepEqual(result.rows, []);
  const call = callsFor(result.stats.queryId, 'ExecuteStatement')[0]!;
  assert.equal(call.headers['x-amz-target'], 'RedshiftData.ExecuteStatement');
  assert.equal(call.headers['content-type'], 'application/x-amz-json-1.1');
  assert.equal(call.body['Sql'], query.sql);
  assert.match(query.sql, /= :p1 AND .* = ''/, 'the empty string is written as a constant');
  assert.deepEqual(call.body['Parameters'], [{ name: 'p1', value: "it's" }]);
  assert.equal(call.body['ClusterIdentifier'], 'lakegate');
  assert.equal(call.body['WorkgroupName'], undefined);
  assert.equal(call.body['Database'], 'postgres');
  assert.equal(call.body['SecretArn'], 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:lakegate-AbCdEf');
  assert.equal(call.body['DbUser'], undefined);
  assert.equal(call.body['StatementName'], 'lakegate');
  assert.match(call.body['ClientToken'] as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

  const plain = await engine.execute({ sql: 'SELECT 1 AS one', params: [] });
  const plainCall = callsFor(plain.stats.queryId, 'ExecuteStatement')[0]!;
  assert.equal('Parameters' in plainCall.body, false);

  // Serverless with a secret, and a cluster with DbUser, both go through.
  const serverless = dataEngine({ target: { workgroupName: 'lakegate-wg' } });
  const onServerless = await serverless.execute({ sql: 'SELECT 2 AS two', params: [] });
  assert.deepEqual(onServerless.rows, [{ two: 2 }]);
  assert.equal(callsFor(onServerless.stats.queryId, 'ExecuteStatement')[0]!.body['WorkgroupName'], 'lakegate-wg');
  const asUser = dataEngine({ auth: { dbUser: 'lakegate_reader' } });
  const asUserResult = await asUser.execute({ sql: 'SELECT 3 AS three', params: [] });
  const userCall = callsFor(asUserResult.stats.queryId, 'ExecuteStatement')[0]!;
  assert.equal(userCall.body['DbUser'], 'lakegate_reader');
  assert.equal(userCall.body['SecretArn'], undefined);
});

test('DbUser without a cluster is rejected by the adapter, and by the Data API when sent anyway', async (t) => {
  if (!standIn(t)) return;
  assert.throws(() => createRedshiftDataEngine({ client: dataClient(), database: 'postgres', target: { workgroupName: 'lakegate-wg' }, auth: { dbUser: 'someone' }, logger: silent }),
    /dbUser .* needs a provisioned cluster/);
  assert.throws(() => createRedshiftDataEngine({ client: dataClient(), database: 'postgres', target: { clusterIdentifier: 'a', workgroupName: 'b' } as never, logger: silent }),
    /exactly one of clusterIdentifier .* or workgroupName/);
  assert.throws(() => createRedshiftDataEngine({ client: dataClient(), database: '', target: { clusterIdentifier: 'a' }, logger: silent }), /database is required/);
  const client = dataClient();
  await assert.rejects(client.send(new ExecuteStatementCommand({ Sql: 'SELECT 1', Database: 'postgres', WorkgroupName: 'lakegate-wg', DbUser: 'someone' })),
    (error: Error) => error.name === 'ValidationException' && /DbUser is not supported with WorkgroupName/.test(error.message));
  // The Data API's parameter rule: every declared parameter must be used.
  await assert.rejects(client.send(new ExecuteStatementCommand({ Sql: 'SELECT 1', Database: 'postgres', ClusterIdentifier: 'lakegate', Parameters: [{ name: 'p1', value: 'x' }] })),
    (error: Error) => error.name === 'ValidationException' && /:p1 are not used/.test(error.message));
  client.destroy();
});

test('a failed statement carries PostgreSQL\'s message through both adapters', async (t) => {
  if (!standIn(t)) return;
  const query: CompiledQuery = { sql: `SELECT "nope" FROM "${REDSHIFT_SCHEMA}"."transactions"`, params: [] };
  await assert.rejects(dataEngine().execute(query), withCode('QUERY_FAILED', /^ERROR: column "nope" does not exist$/));
  await assert.rejects(pgEngine().execute(query), withCode('QUERY_FAILED', /^column "nope" does not exist$/));
  const failed = emulator.statements().at(-1)!;
  assert.equal(failed.status, 'FAILED');

  emulator.failNext('ERROR: Spectrum Scan Error: S3 access denied');
  await assert.rejects(dataEngine().execute({ sql: 'SELECT 1', params: [] }), (error: unknown) => {
    withCode('QUERY_FAILED', /^ERROR: Spectrum Scan Error: S3 access denied$/)(error);
    assert.equal((error as EngineError).queryId, emulator.statements().at(-1)!.id);
    return true;
  });
});

test('throttled calls are retried by the adapter (SDK retries off) and give up as ENGINE_UNAVAILABLE', async (t) => {
  if (!standIn(t)) return;
  const engine = dataEngine({ throttleRetries: 3 });
  emulator.throttleNext(2, 'ExecuteStatement');
  emulator.throttleNext(1, 'DescribeStatement');
  emulator.throttleNext(1, 'GetStatementResult');
  const result = await engine.execute(compileQuery(rows({ limit: 150 }), dialectNamed('redshift-data')));
  assert.equal(result.rows.length, 150);
  assert.equal(result.stats.throttled, 4);
  assert.deepEqual(callsFor(result.stats.queryId, 'ExecuteStatement').map((call) => call.outcome), ['ThrottlingException', 'ThrottlingException', 'ok']);
  assert.equal(new Set(callsFor(result.stats.queryId, 'ExecuteStatement').map((call) => call.body['ClientToken'])).size, 1, 'one token across retries');
  assert.deepEqual(callsFor(result.stats.queryId, 'GetStatementResult').map((call) => call.outcome), ['ThrottlingException', 'ok', 'ok']);
  assert.equal(emulator.statements().filter((statement) => statement.token === callsFor(result.stats.queryId, 'ExecuteStatement')[0]!.body['ClientToken']).length, 1);

  const before = emulator.calls.ExecuteStatement;
  emulator.throttleNext(2, 'ExecuteStatement');
  await assert.rejects(dataEngine({ throttleRetries: 1 }).execute({ sql: 'SELECT 1', params: [] }), withCode('ENGINE_UNAVAILABLE', /throttling/));
  assert.equal(emulator.calls.ExecuteStatement - before, 2);
});

test('abort and deadline cancel the Data API statement, and its backend stops', async (t) => {
  if (!standIn(t)) return;
  const engine = dataEngine();
  for (const mode of ['abort', 'deadline'] as const) {
    const marker = `lakegate-${randomUUID()}`;
    emulator.slow(10_000);
    const controller = new AbortController();
    const started = Date.now();
    const running = engine.execute({ sql: `SELECT 1 AS one /* ${marker} */`, params: [] },
      mode === 'abort' ? { signal: controller.signal } : { deadline: Date.now() + 400 });
    const statement = () => emulator.statements().find((candidate) => candidate.sql.includes(marker));
    await waitFor('the statement to start', () => statement()?.status === 'STARTED' && statement()?.pid !== null);
    emulator.slow(0);
    await waitFor('its backend to sleep', async () => (await activeBackends(admin!, 'pg_sleep')).includes(statement()!.pid!));
    if (mode === 'abort') controller.abort();
    await assert.rejects(running, withCode(mode === 'abort' ? 'QUERY_CANCELLED' : 'QUERY_TIMEOUT'));
    assert.ok(Date.now() - started < 3_000, 'stopped long before the 10 s sleep');
    assert.equal(statement()!.status, 'ABORTED');
    assert.deepEqual(callsFor(statement()!.id, 'CancelStatement').map((call) => call.outcome), ['ok']);
    await waitFor('the backend to stop', async () => !(await activeBackends(admin!, 'pg_sleep')).includes(statement()!.pid!));
  }
});

test('a statement the engine times out is QUERY_TIMEOUT with its message', async (t) => {
  if (!standIn(t)) return;
  emulator.engineTimeout();
  await assert.rejects(dataEngine().execute({ sql: 'SELECT 1', params: [] }), withCode('QUERY_TIMEOUT', /canceling statement due to statement timeout/));
  await assert.rejects(pgEngine({ statementTimeoutMs: 50 }).execute({ sql: 'SELECT pg_sleep(2)', params: [] }), withCode('QUERY_TIMEOUT', /statement timeout/));
});

test('abort and deadline cancel the pg query on the server (pg_cancel_backend) and drop its connection', async (t) => {
  if (!standIn(t)) return;
  const engine = pgEngine();
  for (const mode of ['abort', 'deadline'] as const) {
    const marker = `lakegate-${randomUUID()}`;
    const controller = new AbortController();
    const started = Date.now();
    const running = engine.execute({ sql: `SELECT count(*) AS n, pg_sleep(10) FROM "${REDSHIFT_SCHEMA}"."transactions" WHERE "transaction_id" > $1 /* ${marker} */`, params: [big('0')] },
      mode === 'abort' ? { signal: controller.signal } : { deadline: Date.now() + 400 });
    await waitFor('the query to run', async () => (await activeBackends(admin!, marker)).length === 1);
    const [pid] = await activeBackends(admin!, marker);
    if (mode === 'abort') controller.abort();
    await assert.rejects(running, withCode(mode === 'abort' ? 'QUERY_CANCELLED' : 'QUERY_TIMEOUT'));
    assert.ok(Date.now() - started < 3_000, 'stopped long before the 10 s sleep');
    assert.deepEqual(await activeBackends(admin!, marker), [], 'no backend runs the query any more');
    await waitFor('the cancelled connection to close', async () => (await admin!.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0);
  }
  // The pool carries on.
  const after = await engine.execute({ sql: 'SELECT CAST($1 AS INTEGER) AS n', params: [{ value: 5, type: { kind: 'int' } }] });
  assert.deepEqual(after.rows, [{ n: 5 }]);
});

test('Data API: a dropped connection is retried by the SDK on the same ClientToken; without SDK retries it is ENGINE_UNAVAILABLE and the statement is cancelled', async (t) => {
  if (!standIn(t)) return;
  const retrying = dataEngine({}, { maxAttempts: 3 });
  emulator.dropNextConnection({ operation: 'ExecuteStatement', when: 'after' });
  emulator.dropNextConnection({ operation: 'DescribeStatement', when: 'before' });
  emulator.dropNextConnection({ operation: 'GetStatementResult', when: 'after' });
  const result = await retrying.execute(compileQuery(rows({ limit: 10 }), dialectNamed('redshift-data')));
  assert.equal(result.rows.length, 10);
  const executes = callsFor(result.stats.queryId, 'ExecuteStatement');
  assert.deepEqual(executes.map((call) => call.outcome), ['dropped', 'ok']);
  assert.equal(emulator.statements().filter((statement) => statement.token === executes[0]!.body['ClientToken']).length, 1, 'the retry did not start a second statement');
  assert.deepEqual(callsFor(result.stats.queryId, 'GetStatementResult').map((call) => call.outcome), ['dropped', 'ok']);

  const marker = `lakegate-${randomUUID()}`;
  emulator.slow(5_000);
  emulator.dropNextConnection({ operation: 'DescribeStatement', when: 'before' });
  const failing = dataEngine().execute({ sql: `SELECT 1 /* ${marker} */`, params: [] });
  await assert.rejects(failing, withCode('ENGINE_UNAVAILABLE', /unreachable or failing/));
  emulator.slow(0);
  const orphan = emulator.statements().find((statement) => statement.sql.includes(marker))!;
  assert.deepEqual(callsFor(orphan.id, 'CancelStatement').map((call) => call.outcome), ['ok'], 'the adapter cancelled what it gave up on');
  assert.equal(orphan.status, 'ABORTED');
});

test('pg: a connection dropped mid-query is ENGINE_UNAVAILABLE (not retried); the pool recovers; an unreachable server is unhealthy', async (t) => {
  if (!standIn(t)) return;
  const engine = pgEngine();
  const marker = `lakegate-${randomUUID()}`;
  const running = engine.execute({ sql: `SELECT pg_sleep(10) /* ${marker} */`, params: [] });
  await waitFor('the query to run', async () => (await activeBackends(admin!, marker)).length === 1);
  const [pid] = await activeBackends(admin!, marker);
  await admin!.query('SELECT pg_terminate_backend($1)', [pid]);
  await assert.rejects(running, withCode('ENGINE_UNAVAILABLE', /terminating connection due to administrator command|Connection terminated/));
  assert.deepEqual((await engine.execute({ sql: 'SELECT 1 AS one', params: [] })).rows, [{ one: 1 }]);
  assert.equal(await engine.health(), true);

  const nowhere = pgEngine({ pool: { ...redshiftPgConfig(), port: 1, connectionTimeoutMillis: 1_000 } });
  await assert.rejects(nowhere.execute({ sql: 'SELECT 1', params: [] }), withCode('ENGINE_UNAVAILABLE', /ECONNREFUSED/));
  assert.equal(await nowhere.health(), false);
});

test('Data API resumable mode: detach leaves the statement running, another engine resumes it by Id; abort with keepRunningOnAbort leaves it running; probe and stop', async (t) => {
  if (!standIn(t)) return;
  const marker = `lakegate-${randomUUID()}`;
  const query = { sql: `SELECT count(*) AS n /* ${marker} */ FROM "${REDSHIFT_SCHEMA}"."transactions"`, params: [] };
  emulator.slow(800);
  try {
    const first = await dataEngine().executeDetachable(query, { detachAt: Date.now() + 60 });
    assert.ok(isDetached(first), 'still running at the detach time');
    assert.equal(callsFor(first.queryId, 'CancelStatement').length, 0, 'not cancelled');
    const other = dataEngine();
    assert.deepEqual(await other.probe(first.queryId), { state: 'running' });

    const controller = new AbortController();
    const waiting = other.resume(first.queryId, { signal: controller.signal, detachAt: Date.now() + 10_000, keepRunningOnAbort: true });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(waiting, withCode('QUERY_CANCELLED'));
    assert.equal(callsFor(first.queryId, 'CancelStatement').length, 0, 'the waiter left; the statement runs on');

    const result = await other.resume(first.queryId, { detachAt: Date.now() + 10_000 });
    assert.ok(!isDetached(result));
    assert.deepEqual(result.rows, await direct(query));
    assert.deepEqual(await other.probe(first.queryId), { state: 'succeeded' });

    const second = await other.executeDetachable(query, { detachAt: Date.now() + 30 });
    assert.ok(isDetached(second));
    await other.stopQuery(second.queryId);
    assert.equal(callsFor(second.queryId, 'CancelStatement').length, 1);
    const probe = await other.probe(second.queryId);
    assert.equal(probe.state, 'failed');
  } finally {
    emulator.slow(0);
  }
});

test('health, capabilities, and close: a closed engine refuses work; closing cancels what runs', async (t) => {
  if (!standIn(t)) return;
  const data = dataEngine();
  const wire = pgEngine();
  assert.equal(await data.health(), true);
  assert.equal(await wire.health(), true);
  for (const engine of [data, wire]) assert.equal(engine.name, 'redshift');
  assert.deepEqual(data.capabilities, { cancellable: true, reportsBytesScanned: false, resumable: true, resultPages: true, streams: true });
  assert.ok(isResumable(data), 'Data API statements can outlive a request');
  assert.deepEqual(wire.capabilities, { cancellable: true, reportsBytesScanned: false, streams: true });
  assert.ok(isStreaming(data) && isStreaming(wire), 'both read a result in batches (exports)');
  assert.ok(!isResumable(wire), 'a pg-wire query lives and dies with its connection');
  assert.equal(data.dialect, 'redshift-data');
  assert.equal(wire.dialect, 'redshift-pg');

  const marker = `lakegate-${randomUUID()}`;
  emulator.slow(5_000);
  const dataRunning = data.execute({ sql: `SELECT 1 /* ${marker} */`, params: [] });
  const wireRunning = wire.execute({ sql: `SELECT pg_sleep(5) /* ${marker} */`, params: [] });
  await waitFor('both to run', async () => (await activeBackends(admin!, marker)).length === 1
    && emulator.statements().some((statement) => statement.sql.includes(marker) && statement.status === 'STARTED'));
  emulator.slow(0);
  await Promise.all([data.close(), wire.close()]);
  await assert.rejects(dataRunning, withCode('ENGINE_UNAVAILABLE', /shutting down/));
  await assert.rejects(wireRunning, withCode('ENGINE_UNAVAILABLE', /shutting down/));
  assert.equal(emulator.statements().find((statement) => statement.sql.includes(marker))!.status, 'ABORTED');
  await assert.rejects(data.execute({ sql: 'SELECT 1', params: [] }), withCode('ENGINE_UNAVAILABLE', /shut down/));
  await assert.rejects(wire.execute({ sql: 'SELECT 1', params: [] }), withCode('ENGINE_UNAVAILABLE', /shut down/));
  assert.equal(await data.health(), false);
});
