import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { Client, type QueryConfig } from 'pg';
import { and, between, column, compare, inList, isNull, like, not, or } from '../../src/query/expr';
import type { AggregateQuery, Expr, Interval, Literal, LogicalQuery, RowQuery, TableView, TimeGrain } from '../../src/query/types';
import { compileQuery } from '../../src/sql/compiler';
import { dialectNamed } from '../../src/sql/dialects';
import { athenaExecutionParameter } from '../../src/sql/literals';
import { redshiftDataParameters } from '../../src/sql/redshift';
import type { CompiledQuery } from '../../src/sql/types';

/**
 * The same logical queries, compiled per dialect and run on real engines, must return the same
 * rows: `duckdb` on DuckDB is the reference; `redshift-pg` and `redshift-data` run on PostgreSQL
 * 15 (standing in for Redshift); `athena` runs on DuckDB with each `?` replaced by its
 * execution parameter literal, as Athena substitutes them.
 *
 * What these stand-ins paper over:
 * - Redshift lexes strings as PostgreSQL 8.0 did: backslash escapes, so `ESCAPE '\\'` is one
 *   backslash. PostgreSQL 15 only reads it so with `standard_conforming_strings = off`, which
 *   the PostgreSQL session below sets (and `escape_string_warning = off` to keep it quiet).
 * - Redshift has SUPER / Spectrum nested columns; PostgreSQL has neither, so struct paths are
 *   not run on PostgreSQL. The athena struct syntax `t."device"."os"` is run on DuckDB, which
 *   reads a STRUCT field that way, as Trino reads a ROW field.
 * - The Data API sends every value as text; here `:pN` becomes `$N` and PostgreSQL receives the
 *   text from `redshiftDataParameters`, so the CASTs decide the types as on Redshift. Whether
 *   the real Data API accepts our SQL is not tested (only its documented rules are followed).
 * - Athena's `DECIMAL '…'` takes its scale from the literal; DuckDB reads it as DECIMAL(18,3),
 *   so decimals with more than 3 fraction digits would round on DuckDB only (values here have 2).
 * - DuckDB keeps microseconds, Trino/Athena timestamps here are milliseconds (`timestamp(3)`);
 *   all test timestamps have at most millisecond digits.
 * - `EXISTS (SELECT 1 WHERE …)` (Athena masks) and `LIMIT n` inline run here on DuckDB, not
 *   on Athena: that Athena accepts a `?` inside that WHERE is the documented rule, not tested.
 * - Numbers come back in different shapes (DuckDB: BIGINT/DECIMAL as strings, avg(DECIMAL) as
 *   DOUBLE; PostgreSQL: numeric text with more digits) and are compared as numbers rounded to 6
 *   places; timestamps are compared as text with 6 fraction digits. Collation: PostgreSQL here is
 *   C.UTF-8 (byte order, as DuckDB); the values are lower-case ASCII so ordering agrees anyway.
 */

const SCHEMA = 'lakegate_dialect_test';
const table = { database: SCHEMA, table: 'transactions' };
const from = { kind: 'table', table } as const;
const ROW_COUNT = 50;

interface Transaction {
  readonly transaction_id: number;
  readonly customer_id: number;
  readonly amount: string | null;
  readonly currency: string;
  readonly status: string;
  readonly channel: string | null;
  readonly ts: string;
  readonly os: string | null;
  readonly model: string;
}

/** 50 deterministic rows: null and empty channels, null and tied amounts, sub-second timestamps. */
function transactions(): Transaction[] {
  const start = Date.UTC(2024, 0, 1, 0, 0, 0);
  return Array.from({ length: ROW_COUNT }, (_, index) => {
    const i = index + 1;
    const at = new Date(start + i * 31 * 3_600_000 + (i % 4) * 250 + (i % 7) * 60_000);
    return {
      transaction_id: i,
      customer_id: 1 + ((i * 7) % 6),
      amount: i % 13 === 0 ? null : i % 10 === 5 ? '120.50' : (((i * 3779) % 50_000) / 100).toFixed(2),
      currency: ['EUR', 'USD', 'JPY'][i % 3]!,
      status: ['completed', 'refunded', 'pending', 'on_hold', '50%_off'][i % 5]!,
      channel: ['web', 'app', 'store', null, 'web', ''][i % 6]!,
      ts: at.toISOString().replace('T', ' ').replace('Z', ''),
      os: ['ios', 'android', null][i % 3]!,
      model: ['iPhone 15', 'Pixel 8', 'Galaxy S24', 'Pixel 7'][i % 4]!,
    };
  });
}

// ---- engines ---------------------------------------------------------------------------------

let duck: DuckDBInstance;
let duckdb: DuckDBConnection;
let pg: Client | null = null;
let pgUnavailable = '';

async function setUpDuckDb(rows: readonly Transaction[]): Promise<void> {
  duck = await DuckDBInstance.create(':memory:');
  duckdb = await duck.connect();
  await duckdb.run(`CREATE SCHEMA "${SCHEMA}"`);
  await duckdb.run(`CREATE TABLE "${SCHEMA}"."transactions" (transaction_id BIGINT, customer_id BIGINT, amount DECIMAL(12,2), currency VARCHAR,
    status VARCHAR, channel VARCHAR, ts TIMESTAMP, device STRUCT(os VARCHAR, model VARCHAR))`);
  for (const row of rows) {
    await duckdb.run(`INSERT INTO "${SCHEMA}"."transactions" VALUES (?, ?, ?, ?, ?, ?, ?, {'os': ?, 'model': ?})`,
      [row.transaction_id, row.customer_id, row.amount, row.currency, row.status, row.channel, row.ts, row.os, row.model] as DuckDBValue[]);
  }
}

async function setUpPostgres(rows: readonly Transaction[]): Promise<void> {
  const client = new Client({ host: process.env['PGHOST'] ?? '127.0.0.1', port: Number(process.env['PGPORT'] ?? 5432), user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
  } catch (error) {
    pgUnavailable = `PostgreSQL not reachable: ${(error as Error).message}`;
    return;
  }
  pg = client;
  // Redshift's string lexing (see above), and UTC so timestamps are wall-clock values on both sides.
  await client.query("SET standard_conforming_strings = off; SET escape_string_warning = off; SET TIME ZONE 'UTC'");
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.query(`CREATE SCHEMA ${SCHEMA}`);
  // No device column: PostgreSQL has no Redshift SUPER, so struct queries are DuckDB-only.
  await client.query(`CREATE TABLE ${SCHEMA}.transactions (transaction_id bigint, customer_id bigint, amount numeric(12,2), currency text,
    status text, channel text, ts timestamp)`);
  const values = rows.flatMap((row) => [row.transaction_id, row.customer_id, row.amount, row.currency, row.status, row.channel, row.ts]);
  const tuples = rows.map((_, r) => `(${Array.from({ length: 7 }, (__, c) => `$${r * 7 + c + 1}`).join(', ')})`);
  await client.query(`INSERT INTO ${SCHEMA}.transactions VALUES ${tuples.join(', ')}`, values);
}

before(async () => {
  const rows = transactions();
  await setUpDuckDb(rows);
  await setUpPostgres(rows);
});

after(async () => {
  duckdb?.closeSync();
  duck?.closeSync();
  if (pg) {
    await pg.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await pg.end();
  }
});

type Row = Record<string, unknown>;

async function runDuckDb(compiled: CompiledQuery): Promise<Row[]> {
  const reader = await duckdb.runAndReadAll(compiled.sql, compiled.params.map((param): DuckDBValue => param.value));
  return reader.getRowObjectsJson() as Row[];
}

/** Athena on DuckDB: each `?` outside quotes becomes its execution parameter, in order. */
async function runAthenaOnDuckDb(compiled: CompiledQuery): Promise<Row[]> {
  const literals = compiled.params.map(athenaExecutionParameter);
  let next = 0;
  const sql = replaceOutsideQuotes(compiled.sql, /\?/y, () => {
    const literal = literals[next++];
    if (literal === undefined) throw new Error('more ? than parameters');
    return literal;
  });
  assert.equal(next, literals.length, 'every parameter has its ?');
  const reader = await duckdb.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Row[];
}

/** Every value back as the text PostgreSQL sent, so nothing is reparsed in the local time zone. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as QueryConfig['types'];

async function runRedshiftPg(client: Client, compiled: CompiledQuery): Promise<Row[]> {
  const result = await client.query({ text: compiled.sql, values: compiled.params.map((param) => param.value), types: RAW_TEXT });
  return result.rows as Row[];
}

/** The Data API form on PostgreSQL: `:pN` → `$k`, values as the strings the Data API would send. */
async function runRedshiftDataOnPg(client: Client, compiled: CompiledQuery): Promise<Row[]> {
  const byName = new Map(redshiftDataParameters(compiled.params).map((param) => [param.name, param.value]));
  const values: string[] = [];
  const sql = replaceOutsideQuotes(compiled.sql, /:(p\d+)/y, (match) => {
    const value = byName.get(match.slice(1));
    if (value === undefined) throw new Error(`no Data API parameter ${match}`);
    values.push(value);
    return `$${values.length}`;
  });
  assert.equal(values.length, byName.size, 'every Data API parameter is used (the Data API rejects unused ones)');
  const result = await client.query({ text: sql, values, types: RAW_TEXT });
  return result.rows as Row[];
}

/** Replaces `token` matches that are outside '…' literals and "…" identifiers (doubled quotes escape). */
function replaceOutsideQuotes(sql: string, token: RegExp, replace: (match: string) => string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    if (char === "'" || char === '"') {
      let end = i + 1;
      while (end < sql.length && !(sql[end] === char && sql[end + 1] !== char)) end += sql[end] === char ? 2 : 1;
      out += sql.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    token.lastIndex = i;
    const match = token.exec(sql);
    if (match) {
      out += replace(match[0]);
      i += match[0].length;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

// ---- comparing rows ---------------------------------------------------------------------------

const NUMBER_TEXT = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/;

function normaliseValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || (typeof value === 'string' && NUMBER_TEXT.test(value))) {
    const rounded = Number(Number(value).toFixed(6));
    return rounded === 0 ? 0 : rounded;
  }
  const text = String(value);
  const stamp = TIMESTAMP_TEXT.exec(text);
  return stamp ? `${stamp[1]} ${stamp[2]}.${(stamp[3] ?? '').padEnd(6, '0')}` : text;
}

function normalise(rows: readonly Row[], ordered: boolean): string[] {
  const lines = rows.map((row) => JSON.stringify(Object.keys(row).sort().map((key) => [key, normaliseValue(row[key])])));
  return ordered ? lines : [...lines].sort();
}

// ---- the logical queries ----------------------------------------------------------------------

const str = (value: string): Literal => ({ value, type: { kind: 'string' } });
const dec = (value: string, precision: number, scale: number): Literal => ({ value, type: { kind: 'decimal', precision, scale } });
const ts = (value: string): Literal => ({ value, type: { kind: 'timestamp' } });
const big = (value: string): Literal => ({ value, type: { kind: 'bigint' } });
const ALL_COLUMNS = ['transaction_id', 'customer_id', 'amount', 'currency', 'status', 'channel', 'ts'];
const byId = { target: column('transaction_id'), direction: 'asc', nulls: 'last' } as const;

function rows(partial: Partial<RowQuery>): RowQuery {
  return {
    kind: 'rows', from, select: ALL_COLUMNS.map((name) => ({ alias: name, column: column(name) })),
    where: null, orderBy: [byId], limit: null, offset: 0, perKeyLimit: null, ...partial,
  };
}

interface Case {
  readonly name: string;
  readonly query: LogicalQuery;
  /** The query orders rows totally, so order is compared too. */
  readonly ordered: boolean;
  /** Struct paths: DuckDB and athena-on-DuckDB only. */
  readonly struct?: boolean;
  readonly mayBeEmpty?: boolean;
}

const filter = (name: string, where: Expr, extra: Partial<Case> = {}): Case => ({ name: `filter ${name}`, query: rows({ where }), ordered: true, ...extra });

const FILTERS: Case[] = [
  filter('eq string', compare('eq', column('currency'), str('EUR'))),
  filter('eq empty string', compare('eq', column('channel'), str(''))),
  filter('ne decimal', compare('ne', column('amount'), dec('120.50', 5, 2))),
  filter('gt timestamp', compare('gt', column('ts'), ts('2024-02-10 12:00:00'))),
  filter('gte bigint', compare('gte', column('customer_id'), big('4'))),
  filter('lt decimal', compare('lt', column('amount'), dec('75.25', 4, 2))),
  filter('lte sub-second timestamp', compare('lte', column('ts'), ts('2024-01-20 13:04:00.750'))),
  filter('in with empty string', inList(column('channel'), [str('app'), str(''), str('store')])),
  filter('not in (null channels drop out)', inList(column('channel'), [str('web')], true)),
  filter('empty in', inList(column('channel'), []), { mayBeEmpty: true }),
  filter('empty not in', inList(column('channel'), [], true)),
  filter('between decimals', between(column('amount'), dec('100', 3, 0), dec('300.99', 5, 2))),
  filter('between timestamps', between(column('ts'), ts('2024-01-10 00:00:00'), ts('2024-02-20 07:00:00.250'))),
  filter('like escaped underscore', like(column('status'), str('on\\_%'))),
  filter('like escaped percent', like(column('status'), str('%\\%%'))),
  filter('like wildcard underscore', like(column('status'), str('_ompleted'))),
  filter('not like', like(column('status'), str('%e%'), true)),
  filter('is null', isNull(column('channel'))),
  filter('is not null', isNull(column('amount'), true)),
  filter('constants', { kind: 'and', args: [{ kind: 'constant', value: true }, { kind: 'or', args: [{ kind: 'constant', value: false }, compare('eq', column('currency'), str('JPY'))] }] }),
  filter('nested and/or/not', or([
    and([compare('eq', column('currency'), str('USD')), not(compare('lt', column('amount'), dec('200', 3, 0)))]),
    and([isNull(column('channel')), not(like(column('status'), str('p%')))]),
  ])),
  filter("quotes and ? in values", or([compare('eq', column('status'), str("it's ? '?'")), compare('eq', column('currency'), str('EUR'))])),
];

const ORDERINGS: Case[] = [
  {
    name: 'order channel asc nulls first, page',
    query: rows({ orderBy: [{ target: column('channel'), direction: 'asc', nulls: 'first' }, byId], limit: 12, offset: 3 }),
    ordered: true,
  },
  {
    name: 'order channel desc nulls last, amount desc nulls first',
    query: rows({ orderBy: [{ target: column('channel'), direction: 'desc', nulls: 'last' }, { target: column('amount'), direction: 'desc', nulls: 'first' }, byId], limit: 20 }),
    ordered: true,
  },
  {
    name: 'order amount asc nulls last, filtered',
    query: rows({ where: compare('ne', column('status'), str('pending')), orderBy: [{ target: column('amount'), direction: 'asc', nulls: 'last' }, byId] }),
    ordered: true,
  },
];

const PER_KEY: Case[] = [
  {
    name: 'per-key limit, latest first',
    query: rows({
      where: inList(column('customer_id'), [big('1'), big('2'), big('3')]),
      orderBy: [{ target: column('ts'), direction: 'desc', nulls: 'last' }],
      perKeyLimit: { partitionBy: column('customer_id'), limit: 2 },
    }),
    ordered: false,
  },
  {
    name: 'per-key limit, smallest amount first with nulls first',
    query: rows({
      orderBy: [{ target: column('amount'), direction: 'asc', nulls: 'first' }, byId],
      perKeyLimit: { partitionBy: column('customer_id'), limit: 3 },
    }),
    ordered: false,
  },
];

function byGrain(grain: TimeGrain): Case {
  const query: AggregateQuery = {
    kind: 'aggregate',
    from,
    where: compare('lt', column('ts'), ts('2024-03-20 00:00:00')),
    groupBy: [{ alias: 'bucket', column: column('ts'), grain }, { alias: 'channel', column: column('channel'), grain: null }],
    measures: [
      { alias: 'rows', fn: 'count', column: null, columnType: null },
      { alias: 'amounts', fn: 'count', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } },
      { alias: 'customers', fn: 'countDistinct', column: column('customer_id'), columnType: { kind: 'bigint' } },
      { alias: 'total', fn: 'sum', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } },
      { alias: 'mean', fn: 'avg', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } },
      { alias: 'smallest', fn: 'min', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } },
      { alias: 'last', fn: 'max', column: column('ts'), columnType: { kind: 'timestamp' } },
    ],
    orderBy: [{ target: { alias: 'bucket' }, direction: 'asc', nulls: 'first' }, { target: { alias: 'channel' }, direction: 'asc', nulls: 'first' }],
    limit: null,
    offset: 0,
  };
  return { name: `aggregate by ${grain}`, query, ordered: true };
}

const AGGREGATES: Case[] = [
  ...(['hour', 'day', 'week', 'month', 'quarter', 'year'] as const).map(byGrain),
  {
    name: 'aggregate ordered by a measure, paged',
    query: {
      kind: 'aggregate', from, where: null,
      groupBy: [{ alias: 'currency', column: column('currency'), grain: null }],
      measures: [{ alias: 'total', fn: 'sum', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } }, { alias: 'customers', fn: 'countDistinct', column: column('customer_id'), columnType: { kind: 'bigint' } }],
      orderBy: [{ target: { alias: 'total' }, direction: 'desc', nulls: 'last' }], limit: 2, offset: 1,
    },
    ordered: true,
  },
  {
    name: 'aggregate without groups',
    query: {
      kind: 'aggregate', from, where: like(column('status'), str('%d')), groupBy: [],
      measures: [{ alias: 'rows', fn: 'count', column: null, columnType: null }, { alias: 'top', fn: 'max', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } }, { alias: 'mean', fn: 'avg', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } }],
      orderBy: [], limit: null, offset: 0,
    },
    ordered: true,
  },
];

const VIEW: TableView = {
  kind: 'view',
  table,
  columns: ALL_COLUMNS,
  rowFilter: and([inList(column('currency'), [str('EUR'), str('USD')]), compare('gte', column('ts'), ts('2024-01-15 00:00:00'))]),
  masks: [
    { column: 'amount', visibleWhen: compare('eq', column('status'), str('completed')) },
    { column: 'channel', visibleWhen: or([compare('ne', column('customer_id'), big('3')), like(column('status'), str('%\\_%'))]) },
  ],
};

const VIEWS: Case[] = [
  {
    name: 'view: row filter and masks under the caller filter and order',
    query: rows({
      from: VIEW,
      where: or([compare('gt', column('amount'), dec('50', 2, 0)), isNull(column('channel'))]),
      orderBy: [{ target: column('amount'), direction: 'desc', nulls: 'first' }, byId],
    }),
    ordered: true,
  },
  {
    name: 'view: aggregate over masked cells',
    query: {
      kind: 'aggregate', from: VIEW, where: null,
      groupBy: [{ alias: 'channel', column: column('channel'), grain: null }, { alias: 'month', column: column('ts'), grain: 'month' }],
      measures: [{ alias: 'rows', fn: 'count', column: null, columnType: null }, { alias: 'visible', fn: 'count', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } }, { alias: 'total', fn: 'sum', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } }],
      orderBy: [{ target: { alias: 'channel' }, direction: 'asc', nulls: 'last' }, { target: { alias: 'month' }, direction: 'asc', nulls: 'last' }],
      limit: null, offset: 0,
    },
    ordered: true,
  },
];

const STRUCTS: Case[] = [
  {
    name: 'struct fields selected and filtered',
    query: rows({
      select: [{ alias: 'id', column: column('transaction_id') }, { alias: 'os', column: column('device', 'os') }, { alias: 'model', column: column('device', 'model') }],
      where: or([compare('eq', column('device', 'os'), str('ios')), like(column('device', 'model'), str('Pix%'))]),
      orderBy: [{ target: column('device', 'os'), direction: 'asc', nulls: 'first' }, byId],
    }),
    ordered: true,
    struct: true,
  },
  {
    name: 'struct field as group key',
    query: {
      kind: 'aggregate', from, where: isNull(column('device', 'os'), true),
      groupBy: [{ alias: 'os', column: column('device', 'os'), grain: null }],
      measures: [{ alias: 'rows', fn: 'count', column: null, columnType: null }, { alias: 'total', fn: 'sum', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } }],
      orderBy: [{ target: { alias: 'os' }, direction: 'asc', nulls: 'last' }], limit: null, offset: 0,
    },
    ordered: true,
    struct: true,
  },
];

const DECIMAL_12_2 = { kind: 'decimal', precision: 12, scale: 2 } as const;

/** A KPI's query: a measure with a filter of its own, and a previous period shifted onto the current one, from one statement. */
function comparedPeriods(name: string, source: AggregateQuery['from'], shift: Interval, previous: [string, string], current: [string, string]): Case {
  const range = ([low, high]: [string, string]) => and([compare('gte', column('ts'), ts(low)), compare('lt', column('ts'), ts(high))]);
  return {
    name,
    query: {
      kind: 'aggregate', from: source, where: compare('ne', column('currency'), str('JPY')),
      groupBy: [{ alias: 'bucket', column: column('ts'), grain: 'week' }, { alias: 'channel', column: column('channel'), grain: null }],
      measures: [
        { alias: 'rows', fn: 'count', column: null, columnType: null },
        { alias: 'done', fn: 'count', column: null, columnType: null, filter: compare('eq', column('status'), str('completed')) },
        { alias: 'total', fn: 'sum', column: column('amount'), columnType: DECIMAL_12_2, filter: like(column('status'), str('%e%')) },
        { alias: 'buyers', fn: 'countDistinct', column: column('customer_id'), columnType: { kind: 'bigint' }, filter: inList(column('channel'), [str('web'), str('app')]) },
      ],
      orderBy: ['period', 'bucket', 'channel'].map((alias) => ({ target: { alias }, direction: 'asc' as const, nulls: 'last' as const })),
      limit: null, offset: 0,
      compare: { time: column('ts'), current: range(current), previous: range(previous), shift, periodAlias: 'period' },
    },
    ordered: true,
  };
}

const KPI_SHAPES: Case[] = [
  comparedPeriods('compared periods, shifted by a month', from, { unit: 'month', amount: 1 }, ['2024-01-01 00:00:00', '2024-02-01 00:00:00'], ['2024-02-01 00:00:00', '2024-03-01 00:00:00']),
  comparedPeriods('compared periods on a view, shifted by milliseconds', VIEW, { unit: 'millisecond', amount: 1_728_000_500 }, ['2023-12-12 00:00:00', '2024-01-01 00:00:00.500'], ['2024-01-01 00:00:00.500', '2024-01-21 00:00:01']),
  comparedPeriods('compared periods, shifted by days', from, { unit: 'day', amount: 20 }, ['2024-01-10 00:00:00', '2024-01-30 00:00:00'], ['2024-01-30 00:00:00', '2024-02-19 00:00:00']),
];

const CASES: Case[] = [...FILTERS, ...ORDERINGS, ...PER_KEY, ...AGGREGATES, ...VIEWS, ...STRUCTS, ...KPI_SHAPES];

// ---- the tests --------------------------------------------------------------------------------

async function check(t: TestContext, item: Case): Promise<void> {
  const reference = await runDuckDb(compileQuery(item.query, dialectNamed('duckdb')));
  if (!item.mayBeEmpty) assert.ok(reference.length > 0, 'the reference query selects rows');
  const expected = normalise(reference, item.ordered);

  const athena = await runAthenaOnDuckDb(compileQuery(item.query, dialectNamed('athena')));
  assert.deepEqual(normalise(athena, item.ordered), expected, 'athena (on DuckDB) = duckdb');

  if (item.struct) return; // PostgreSQL has no Redshift SUPER / nested columns: struct paths are not run there.
  if (!pg) return t.skip(pgUnavailable);
  const redshiftPg = await runRedshiftPg(pg, compileQuery(item.query, dialectNamed('redshift-pg')));
  assert.deepEqual(normalise(redshiftPg, item.ordered), expected, 'redshift-pg (on PostgreSQL) = duckdb');
  const redshiftData = await runRedshiftDataOnPg(pg, compileQuery(item.query, dialectNamed('redshift-data')));
  assert.deepEqual(normalise(redshiftData, item.ordered), expected, 'redshift-data (on PostgreSQL) = duckdb');
}

for (const item of CASES) {
  test(`same rows on every engine: ${item.name}`, (t) => check(t, item));
}

test('the rows are the same rows in both engines to begin with', async (t) => {
  if (!pg) return t.skip(pgUnavailable);
  const query = rows({});
  const fromPg = await runRedshiftPg(pg, compileQuery(query, dialectNamed('redshift-pg')));
  assert.equal(fromPg.length, ROW_COUNT);
  assert.deepEqual(normalise(fromPg, true), normalise(await runDuckDb(compileQuery(query, dialectNamed('duckdb'))), true));
});
