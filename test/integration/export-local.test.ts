import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { startTestApp, type TestApp } from '../support/app';
import { abandonExport, callExport, parseCsv, parseNdjson } from '../support/export-client';
import { StreamWatch } from '../support/stream-watch';
import { assertComplete, assertExportEquals, assertRefused, graphqlRows, type ExportTarget } from '../support/export-checks';

/**
 * /export on the embedded engine (DuckDB): the export is the unpaged /graphql read, value for
 * value, in CSV and NDJSON; it is not cut at maxLimit; a client that leaves ends the engine's
 * stream; refusals are /graphql's.
 */
const MAX_LIMIT = 1_000;
const ROWS = 30_000;
let app: TestApp;
let target: ExportTarget;
const watch = new StreamWatch();
/** The server's log lines (JSON), for the audit. */
const logLines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
    done();
  },
});

before(async () => {
  app = await startTestApp({
    rows: ROWS,
    limits: { maxLimit: MAX_LIMIT, defaultLimit: 100, maxConcurrentQueries: 1, maxQueueMs: 2_000, maxAliases: 5 },
    decorateEngine: watch.decorate,
    logger: pino({ level: 'info' }, sink),
    // CloudTrail must be read a few days at a time, as operators set it for large partitioned tables.
    configure: (loaded) => ({
      ...loaded,
      catalog: { ...loaded.catalog, datasets: loaded.catalog.datasets.map((dataset) => (dataset.name === 'cloudtrailEvents' ? { ...dataset, requirePartitionFilter: true } : dataset)) },
    }),
  });
  const base = await app.lakegate.listen(0, '127.0.0.1');
  target = { base, token: app.token, graphql: (query, role) => app.graphql(query, {}, role) };
});
after(() => app.close());

describe('an export equals the same read through /graphql', () => {
  test('structs, lists and nulls (events), in CSV and NDJSON', async () => {
    const query = '{ events(orderBy: [{ eventId: ASC }], limit: 1000) { eventId userId eventType ts device { os browser } items { sku qty } } }';
    const expected = await graphqlRows(target, query, 'events');
    assert.ok(expected.some((row) => row['userId'] === null) && expected.some((row) => (row['device'] as { browser: unknown }).browser === null), 'nulls, top-level and nested');
    assert.ok(expected.some((row) => (row['items'] as unknown[]).length > 0));
    await assertExportEquals(target, query, expected);
  });

  test('BigInt, Decimal, DateTime and Date as /graphql writes them, aliases as keys, with a filter and variables', async () => {
    const query = 'query($channel: String) { transactions(where: { channel: { eq: $channel } }, orderBy: [{ amount: DESC }], limit: 800) { id: transactionId customerId amount currency channel ts dt } }';
    const response = await app.graphql(query, { channel: 'web' });
    const expected = response.body.data.transactions as Record<string, unknown>[];
    assert.equal(expected.length, 800);
    const csv = await callExport(target.base, { format: 'csv', query, variables: { channel: 'web' }, token: app.token() });
    assertComplete(csv, 800);
    const [header, ...records] = parseCsv(csv.text);
    assert.deepEqual(header, ['id', 'customerId', 'amount', 'currency', 'channel', 'ts', 'dt']);
    assert.deepEqual(records.map((record) => record[0]), expected.map((row) => row['id']));
    assert.deepEqual(records.map((record) => record[2]), expected.map((row) => row['amount']));
    assert.deepEqual(records.map((record) => record[5]), expected.map((row) => row['ts']));
    const ndjson = await callExport(target.base, { format: 'ndjson', query, variables: { channel: 'web' }, method: 'POST', token: app.token() });
    assert.deepEqual(parseNdjson(ndjson.text).slice(0, -1), expected);
  });

  test('without a limit, every row: more than maxLimit, which /graphql refuses', async () => {
    const refused = await app.graphql(`{ transactions(limit: ${MAX_LIMIT + 1}) { transactionId } }`);
    assert.equal(refused.body.errors[0].extensions.code, 'LIMIT_EXCEEDED');
    const answer = await callExport(target.base, { format: 'ndjson', query: '{ transactions(orderBy: [{ transactionId: ASC }]) { transactionId } }', token: app.token() });
    assertComplete(answer, ROWS);
    const lines = parseNdjson(answer.text);
    assert.equal(lines.length, ROWS + 1);
    const [{ count }] = await app.lake.sql('SELECT count(DISTINCT transaction_id)::VARCHAR AS count FROM transactions') as [{ count: string }];
    assert.equal(new Set(lines.slice(0, -1).map((line) => line['transactionId'])).size, Number(count));
    const limited = await callExport(target.base, { format: 'csv', query: '{ transactions(limit: 2500) { transactionId } }', token: app.token() });
    assertComplete(limited, 2_500);
  });
});

test('audited like a read: the audit line and the request log line name dataset, rows, engine, query id and caller', async () => {
  const answer = await callExport(target.base, { format: 'csv', query: '{ customers(limit: 7) { customerId country } }', token: app.token('analyst') });
  assertComplete(answer, 7);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const audit = logLines.find((line) => line['audit'] === true && line['export'] === true && line['dataset'] === 'customers');
  assert.ok(audit, 'an audit line');
  assert.equal(audit['subject'], 'dev-analyst');
  assert.equal(audit['rows'], 7);
  assert.equal(audit['engine'], 'local');
  assert.equal(audit['complete'], true);
  assert.deepEqual(audit['columns'], ['country', 'customer_id']);
  const request = logLines.find((line) => line['msg'] === 'request completed' && (line['export'] as { queryId?: unknown } | undefined)?.queryId === audit['queryId']);
  assert.ok(request, 'the request log line carries the export');
  assert.deepEqual(request['export'], { dataset: 'customers', format: 'csv', engine: 'local', queryId: audit['queryId'], subject: 'dev-analyst', outcome: 'complete', rows: 7 });
  assert.ok(!JSON.stringify(request).includes('customerId country'), 'not the document: the path only');
});

describe('Lake Formation: the export is the caller\'s view', () => {
  test('hr: masked cells stay masked', async () => {
    const query = '{ employees(orderBy: [{ name: ASC }], limit: 1000) { name org salary } }';
    const expected = await graphqlRows(target, query, 'employees', 'hr');
    assert.ok(expected.some((row) => row['salary'] === null) && expected.some((row) => row['salary'] !== null));
    await assertExportEquals(target, query, expected, 'hr');
  });

  test('eu_analyst: rows outside its filters hidden, cells outside them masked', async () => {
    const query = '{ customers(orderBy: [{ customerId: ASC }], limit: 1000) { customerId email segment country } }';
    const expected = await graphqlRows(target, query, 'customers', 'eu_analyst');
    const all = await graphqlRows(target, query, 'customers');
    assert.ok(expected.length < all.length, 'some rows are filtered out');
    assert.ok(expected.some((row) => row['email'] === null));
    await assertExportEquals(target, query, expected, 'eu_analyst');
  });

  test('a column the caller may not read is the validation error of a typo', async () => {
    const hidden = assertRefused(await callExport(target.base, { format: 'csv', query: '{ customers { email } }', token: app.token('analyst') }), 400, 'GRAPHQL_VALIDATION_FAILED');
    const typo = assertRefused(await callExport(target.base, { format: 'csv', query: '{ customers { emial } }', token: app.token('analyst') }), 400, 'GRAPHQL_VALIDATION_FAILED');
    assert.equal(hidden.replace('email', 'X'), typo.replace('emial', 'X').replace(/ Did you mean .*$/, ''));
  });
});

describe('refusals before the first row', () => {
  const token = (): string => app.token();

  test('no token: 401 UNAUTHENTICATED', async () => {
    assertRefused(await callExport(target.base, { format: 'csv', query: '{ transactions { amount } }' }), 401, 'UNAUTHENTICATED');
  });

  test('a format other than csv or ndjson: 400 BAD_REQUEST', async () => {
    assertRefused(await callExport(target.base, { format: 'xlsx', query: '{ transactions { amount } }', token: token() }), 400, 'BAD_REQUEST');
    assertRefused(await callExport(target.base, { query: '{ transactions { amount } }', token: token() }), 400, 'BAD_REQUEST');
  });

  test('anything but one dataset list field: BAD_USER_INPUT naming what export accepts', async () => {
    for (const query of [
      '{ transactions { amount } customers { name } }',
      '{ transactionsAggregate { count } }',
      '{ kpis { __typename } }',
      '{ catalog { datasets { name } } }',
    ]) {
      const message = assertRefused(await callExport(target.base, { format: 'ndjson', query, token: token() }), 400, 'BAD_USER_INPUT');
      assert.match(message, /exactly one dataset list field/);
    }
  });

  test('a relation in the selection: BAD_USER_INPUT, not supported yet', async () => {
    const message = assertRefused(await callExport(target.base, { format: 'csv', query: '{ transactions { amount customer { name } } }', token: token() }), 400, 'BAD_USER_INPUT');
    assert.match(message, /relations are not supported in an export yet/);
  });

  test('a document over a limit: LIMIT_EXCEEDED naming it', async () => {
    const aliases = '{ transactions { a: amount b: amount c: amount d: amount e: amount f: amount } }';
    const answer = await callExport(target.base, { format: 'csv', query: aliases, token: token() });
    assertRefused(answer, 400, 'LIMIT_EXCEEDED');
    assert.equal(JSON.parse(answer.text).errors[0].extensions.limit, 'maxAliases');
  });

  test('a dataset that requires a partition filter, read without one: LIMIT_EXCEEDED requirePartitionFilter', async () => {
    const answer = await callExport(target.base, { format: 'csv', query: '{ cloudtrailEvents { eventname } }', token: token() });
    assertRefused(answer, 400, 'LIMIT_EXCEEDED');
    assert.equal(JSON.parse(answer.text).errors[0].extensions.limit, 'requirePartitionFilter');
    const filtered = await callExport(target.base, { format: 'csv', query: '{ cloudtrailEvents(where: { dt: { gte: "2024-01-01" } }) { eventname } }', token: token() });
    assert.equal(filtered.status, 200, filtered.text);
  });

  test('a malformed document or variables: parse error, BAD_REQUEST', async () => {
    assertRefused(await callExport(target.base, { format: 'csv', query: '{ transactions { amount ', token: token() }), 400, 'GRAPHQL_PARSE_FAILED');
    assertRefused(await callExport(target.base, { format: 'csv', query: '{ transactions(limit: -1) { amount } }', token: token() }), 400, 'BAD_USER_INPUT');
  });
});

describe('an engine that fails after the first rows', () => {
  test('NDJSON ends with an @error line, and neither format ends its body nor sends the row trailer', async () => {
    watch.failAfter = 2;
    try {
      const query = '{ transactions { transactionId amount } }';
      const ndjson = await callExport(target.base, { format: 'ndjson', query, token: app.token() });
      assert.equal(ndjson.status, 200);
      assert.equal(ndjson.complete, false, 'truncated: no terminating chunk');
      assert.equal(ndjson.trailers['lakegate-export-rows'], undefined);
      const lines = parseNdjson(ndjson.text);
      assert.deepEqual(lines.at(-1), { '@error': { code: 'QUERY_FAILED', message: 'transactions: the engine failed mid-result' } });
      assert.ok(lines.length > 1 && lines.slice(0, -1).every((line) => typeof line['transactionId'] === 'string'), 'the rows of the batches before the failure');
      const csv = await callExport(target.base, { format: 'csv', query, token: app.token() });
      assert.equal(csv.status, 200);
      assert.equal(csv.complete, false);
      assert.equal(csv.trailers['lakegate-export-rows'], undefined);
    } finally {
      watch.failAfter = null;
    }
  });
});

describe('a client that leaves', () => {
  test('ends the engine stream early and frees the engine queue place', async () => {
    watch.delayMs = 30;
    const index = watch.streams.length;
    try {
      const read = await abandonExport(target.base, { format: 'csv', query: '{ transactions { transactionId amount currency status channel ts } }', token: app.token() }, { bytes: 1 });
      assert.ok(read > 0);
      const stream = await watch.ended(index);
      assert.equal(stream.ended, 'broken off');
      assert.ok(stream.batches < Math.ceil(ROWS / 2048), `stopped after ${stream.batches} batches`);
    } finally {
      watch.delayMs = 0;
    }
    // maxConcurrentQueries is 1: the next read runs only if the export gave its place back.
    const next = await app.graphql('{ transactions(limit: 1) { transactionId } }');
    assert.equal(next.body.errors, undefined, JSON.stringify(next.body.errors));
  });
});
