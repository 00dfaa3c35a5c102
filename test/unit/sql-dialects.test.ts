import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { and, between, column, compare, inList, isNull, like, not } from '../../src/query/expr';
import type { AggregateQuery, Expr, Literal, LogicalQuery, RowQuery } from '../../src/query/types';
import { compileQuery } from '../../src/sql/compiler';
import { dialectNamed, withSchemas } from '../../src/sql/dialects';
import { ATHENA_PARAMETER_MAX_LENGTH, athenaExecutionParameter, athenaExecutionParameters } from '../../src/sql/literals';
import { redshiftDataParameters } from '../../src/sql/redshift';
import type { BoundParam } from '../../src/sql/types';

const DIALECTS = ['duckdb', 'athena', 'redshift-data', 'redshift-pg'] as const;
type DialectName = (typeof DIALECTS)[number];

const table = { database: 'sales', table: 'transactions' };
const from = { kind: 'table', table } as const;
const str = (value: string): Literal => ({ value, type: { kind: 'string' } });
const dec = (value: string, precision: number, scale: number): Literal => ({ value, type: { kind: 'decimal', precision, scale } });
const ts = (value: string): Literal => ({ value, type: { kind: 'timestamp' } });
const big = (value: string): Literal => ({ value, type: { kind: 'bigint' } });

function rows(partial: Partial<RowQuery>): RowQuery {
  return { kind: 'rows', from, select: [{ alias: 'amount', column: column('amount') }], where: null, orderBy: [], limit: 10, offset: 0, perKeyLimit: null, ...partial };
}

/** Every Expr kind once, struct paths in SELECT and WHERE; built by hand so `constant` is not folded away. */
const everyExpr: Expr = and([
  compare('gte', column('amount'), dec('100.5', 4, 1)),
  { kind: 'or', args: [inList(column('channel'), [str('web'), str('app')]), isNull(column('channel')), { kind: 'constant', value: false }] },
  not(like(column('status'), str('ref%'))),
  between(column('ts'), ts('2024-01-01 00:00:00'), ts('2024-02-01 00:00:00')),
  inList(column('customer_id'), [big('7')], true),
  compare('eq', column('device', 'os'), str('ios')),
]);

const QUERIES = {
  rows: rows({
    select: [{ alias: 'id', column: column('transaction_id') }, { alias: 'os', column: column('device', 'os') }],
    where: everyExpr,
    orderBy: [{ target: column('amount'), direction: 'desc', nulls: 'last' }, { target: column('transaction_id'), direction: 'asc', nulls: 'first' }],
    offset: 20,
  }),
  perKey: rows({
    select: [{ alias: 'customer_id', column: column('customer_id') }, { alias: 'amount', column: column('amount') }],
    where: inList(column('customer_id'), [big('1'), big('2')]),
    orderBy: [{ target: column('ts'), direction: 'desc', nulls: 'last' }],
    limit: null,
    perKeyLimit: { partitionBy: column('customer_id'), limit: 3 },
  }),
  aggregate: {
    kind: 'aggregate',
    from,
    where: compare('lt', column('ts'), ts('2024-04-01 00:00:00')),
    groupBy: [{ alias: 'k0', column: column('channel'), grain: null }, { alias: 'k1', column: column('ts'), grain: 'week' }],
    measures: [
      { alias: 'm0', fn: 'count', column: null, columnType: null },
      { alias: 'm1', fn: 'countDistinct', column: column('customer_id'), columnType: { kind: 'bigint' } },
      { alias: 'm2', fn: 'sum', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } },
      { alias: 'm3', fn: 'sum', column: column('customer_id'), columnType: { kind: 'bigint' } },
    ],
    orderBy: [{ target: { alias: 'm2' }, direction: 'desc', nulls: 'last' }],
    limit: 100,
    offset: 0,
  } satisfies AggregateQuery,
  view: rows({
    from: {
      kind: 'view',
      table,
      columns: ['amount', 'currency'],
      rowFilter: compare('eq', column('currency'), str('JPY')),
      masks: [{ column: 'amount', visibleWhen: compare('eq', column('status'), str('completed')) }],
    },
    where: compare('gt', column('amount'), dec('10', 2, 0)),
  }),
} satisfies Record<string, LogicalQuery>;

const WHERE_SQL = {
  standard: (p: (n: number) => string, escape: string) =>
    `WHERE ("t"."amount" >= ${p(1)} AND ("t"."channel" IN (${p(2)}, ${p(3)}) OR "t"."channel" IS NULL OR (1 = 0)) AND (NOT "t"."status" LIKE ${p(4)} ESCAPE ${escape}) AND "t"."ts" BETWEEN ${p(5)} AND ${p(6)} AND "t"."customer_id" NOT IN (${p(7)}) AND "t"."device"."os" = ${p(8)})`,
};

/** The expected SQL per dialect. Athena: bare `?`, inline row counts, masks through EXISTS. */
const GOLDEN: Record<keyof typeof QUERIES, Record<DialectName, string>> = {
  rows: {
    duckdb: 'SELECT "t"."transaction_id" AS "id", struct_extract("t"."device", \'os\') AS "os" FROM "sales"."transactions" AS "t" WHERE ("t"."amount" >= CAST(? AS DECIMAL(4,1)) AND ("t"."channel" IN (?, ?) OR "t"."channel" IS NULL OR (1 = 0)) AND (NOT "t"."status" LIKE ? ESCAPE \'\\\') AND "t"."ts" BETWEEN CAST(? AS TIMESTAMP) AND CAST(? AS TIMESTAMP) AND "t"."customer_id" NOT IN (CAST(? AS BIGINT)) AND struct_extract("t"."device", \'os\') = ?) ORDER BY "t"."amount" DESC NULLS LAST, "t"."transaction_id" ASC NULLS FIRST LIMIT CAST(? AS BIGINT) OFFSET CAST(? AS BIGINT)',
    athena: `SELECT "t"."transaction_id" AS "id", "t"."device"."os" AS "os" FROM "sales"."transactions" AS "t" ${WHERE_SQL.standard(() => '?', "'\\'")} ORDER BY "t"."amount" DESC NULLS LAST, "t"."transaction_id" ASC NULLS FIRST LIMIT 10 OFFSET 20`,
    'redshift-data': `SELECT "t"."transaction_id" AS "id", "t"."device"."os" AS "os" FROM "sales"."transactions" AS "t" ${WHERE_SQL.standard(redshiftCast((n) => `:p${n}`), "'\\\\'")} ORDER BY "t"."amount" DESC NULLS LAST, "t"."transaction_id" ASC NULLS FIRST LIMIT 10 OFFSET 20`,
    'redshift-pg': `SELECT "t"."transaction_id" AS "id", "t"."device"."os" AS "os" FROM "sales"."transactions" AS "t" ${WHERE_SQL.standard(redshiftCast((n) => `$${n}`), "'\\\\'")} ORDER BY "t"."amount" DESC NULLS LAST, "t"."transaction_id" ASC NULLS FIRST LIMIT 10 OFFSET 20`,
  },
  perKey: {
    duckdb: 'SELECT "customer_id", "amount" FROM (SELECT "t"."customer_id" AS "customer_id", "t"."amount" AS "amount", row_number() OVER (PARTITION BY "t"."customer_id" ORDER BY "t"."ts" DESC NULLS LAST) AS "__lakegate_rn" FROM "sales"."transactions" AS "t" WHERE "t"."customer_id" IN (CAST(? AS BIGINT), CAST(? AS BIGINT))) AS "ranked" WHERE "__lakegate_rn" <= CAST(? AS BIGINT) ORDER BY "__lakegate_rn"',
    athena: 'SELECT "customer_id", "amount" FROM (SELECT "t"."customer_id" AS "customer_id", "t"."amount" AS "amount", row_number() OVER (PARTITION BY "t"."customer_id" ORDER BY "t"."ts" DESC NULLS LAST) AS "__lakegate_rn" FROM "sales"."transactions" AS "t" WHERE "t"."customer_id" IN (?, ?)) AS "ranked" WHERE "__lakegate_rn" <= ? ORDER BY "__lakegate_rn"',
    'redshift-data': 'SELECT "customer_id", "amount" FROM (SELECT "t"."customer_id" AS "customer_id", "t"."amount" AS "amount", row_number() OVER (PARTITION BY "t"."customer_id" ORDER BY "t"."ts" DESC NULLS LAST) AS "__lakegate_rn" FROM "sales"."transactions" AS "t" WHERE "t"."customer_id" IN (CAST(:p1 AS BIGINT), CAST(:p2 AS BIGINT))) AS "ranked" WHERE "__lakegate_rn" <= CAST(:p3 AS BIGINT) ORDER BY "__lakegate_rn"',
    'redshift-pg': 'SELECT "customer_id", "amount" FROM (SELECT "t"."customer_id" AS "customer_id", "t"."amount" AS "amount", row_number() OVER (PARTITION BY "t"."customer_id" ORDER BY "t"."ts" DESC NULLS LAST) AS "__lakegate_rn" FROM "sales"."transactions" AS "t" WHERE "t"."customer_id" IN (CAST($1 AS BIGINT), CAST($2 AS BIGINT))) AS "ranked" WHERE "__lakegate_rn" <= CAST($3 AS BIGINT) ORDER BY "__lakegate_rn"',
  },
  aggregate: {
    duckdb: 'SELECT "t"."channel" AS "k0", date_trunc(\'week\', "t"."ts") AS "k1", count(*) AS "m0", count(DISTINCT "t"."customer_id") AS "m1", sum("t"."amount") AS "m2", sum(CAST("t"."customer_id" AS HUGEINT)) AS "m3" FROM "sales"."transactions" AS "t" WHERE "t"."ts" < CAST(? AS TIMESTAMP) GROUP BY "t"."channel", date_trunc(\'week\', "t"."ts") ORDER BY "m2" DESC NULLS LAST LIMIT CAST(? AS BIGINT)',
    athena: 'SELECT "t"."channel" AS "k0", date_trunc(\'week\', "t"."ts") AS "k1", count(*) AS "m0", count(DISTINCT "t"."customer_id") AS "m1", sum("t"."amount") AS "m2", sum(CAST("t"."customer_id" AS DECIMAL(38,0))) AS "m3" FROM "sales"."transactions" AS "t" WHERE "t"."ts" < ? GROUP BY "t"."channel", date_trunc(\'week\', "t"."ts") ORDER BY "m2" DESC NULLS LAST LIMIT 100',
    'redshift-data': 'SELECT "t"."channel" AS "k0", date_trunc(\'week\', "t"."ts") AS "k1", count(*) AS "m0", count(DISTINCT "t"."customer_id") AS "m1", sum("t"."amount") AS "m2", sum(CAST("t"."customer_id" AS DECIMAL(38,0))) AS "m3" FROM "sales"."transactions" AS "t" WHERE "t"."ts" < CAST(:p1 AS TIMESTAMP) GROUP BY "t"."channel", date_trunc(\'week\', "t"."ts") ORDER BY "m2" DESC NULLS LAST LIMIT 100',
    'redshift-pg': 'SELECT "t"."channel" AS "k0", date_trunc(\'week\', "t"."ts") AS "k1", count(*) AS "m0", count(DISTINCT "t"."customer_id") AS "m1", sum("t"."amount") AS "m2", sum(CAST("t"."customer_id" AS DECIMAL(38,0))) AS "m3" FROM "sales"."transactions" AS "t" WHERE "t"."ts" < CAST($1 AS TIMESTAMP) GROUP BY "t"."channel", date_trunc(\'week\', "t"."ts") ORDER BY "m2" DESC NULLS LAST LIMIT 100',
  },
  view: {
    duckdb: 'SELECT "t"."amount" AS "amount" FROM (SELECT CASE WHEN "v"."status" = ? THEN "v"."amount" END AS "amount", "v"."currency" AS "currency" FROM "sales"."transactions" AS "v" WHERE "v"."currency" = ?) AS "t" WHERE "t"."amount" > CAST(? AS DECIMAL(2,0)) LIMIT CAST(? AS BIGINT)',
    athena: 'SELECT "t"."amount" AS "amount" FROM (SELECT CASE WHEN EXISTS (SELECT 1 WHERE "v"."status" = ?) THEN "v"."amount" END AS "amount", "v"."currency" AS "currency" FROM "sales"."transactions" AS "v" WHERE "v"."currency" = ?) AS "t" WHERE "t"."amount" > ? LIMIT 10',
    'redshift-data': 'SELECT "t"."amount" AS "amount" FROM (SELECT CASE WHEN "v"."status" = :p1 THEN "v"."amount" END AS "amount", "v"."currency" AS "currency" FROM "sales"."transactions" AS "v" WHERE "v"."currency" = :p2) AS "t" WHERE "t"."amount" > CAST(:p3 AS DECIMAL(2,0)) LIMIT 10',
    'redshift-pg': 'SELECT "t"."amount" AS "amount" FROM (SELECT CASE WHEN "v"."status" = $1 THEN "v"."amount" END AS "amount", "v"."currency" AS "currency" FROM "sales"."transactions" AS "v" WHERE "v"."currency" = $2) AS "t" WHERE "t"."amount" > CAST($3 AS DECIMAL(2,0)) LIMIT 10',
  },
};

/** Placeholders of the `rows` golden in Redshift form: the casts each parameter there gets. */
function redshiftCast(marker: (n: number) => string): (n: number) => string {
  const casts: Record<number, string> = { 1: 'DECIMAL(4,1)', 5: 'TIMESTAMP', 6: 'TIMESTAMP', 7: 'BIGINT' };
  return (n) => (casts[n] ? `CAST(${marker(n)} AS ${casts[n]})` : marker(n));
}

const PARAMS: Record<keyof typeof QUERIES, { all: unknown[]; rowCounts: unknown[] }> = {
  rows: { all: ['100.5', 'web', 'app', 'ref%', '2024-01-01 00:00:00', '2024-02-01 00:00:00', '7', 'ios'], rowCounts: [10, 20] },
  perKey: { all: ['1', '2', 3], rowCounts: [] },
  aggregate: { all: ['2024-04-01 00:00:00'], rowCounts: [100] },
  view: { all: ['completed', 'JPY', '10'], rowCounts: [10] },
};

for (const [name, query] of Object.entries(QUERIES) as [keyof typeof QUERIES, LogicalQuery][]) {
  test(`golden SQL and parameters: ${name}`, () => {
    for (const dialect of DIALECTS) {
      const compiled = compileQuery(query, dialectNamed(dialect));
      assert.equal(compiled.sql, GOLDEN[name][dialect], `${name} / ${dialect}`);
      // DuckDB binds LIMIT/OFFSET; Athena and Redshift write them inline.
      const expected = dialect === 'duckdb' ? [...PARAMS[name].all, ...PARAMS[name].rowCounts] : PARAMS[name].all;
      assert.deepEqual(compiled.params.map((param) => param.value), expected, `${name} / ${dialect}`);
    }
  });
}

test('Athena execution parameters are typed Trino literals', () => {
  const cases: [BoundParam, string][] = [
    [{ value: 'web', type: { kind: 'string' } }, "'web'"],
    [{ value: "it's", type: { kind: 'string' } }, "'it''s'"],
    [{ value: '', type: { kind: 'string' } }, "''"],
    [{ value: 'a\\b?', type: { kind: 'string' } }, "'a\\b?'"],
    [{ value: '12.34', type: { kind: 'decimal', precision: 12, scale: 2 } }, "DECIMAL '12.34'"],
    [{ value: '-0.5', type: { kind: 'decimal', precision: 2, scale: 1 } }, "DECIMAL '-0.5'"],
    [{ value: '2024-01-01 10:00:00', type: { kind: 'timestamp' } }, "TIMESTAMP '2024-01-01 10:00:00.000'"],
    [{ value: '2024-01-01T10:00:00.5Z', type: { kind: 'timestamp' } }, "TIMESTAMP '2024-01-01 10:00:00.500'"],
    [{ value: '2024-01-01 10:00:00.123456', type: { kind: 'timestamp' } }, "TIMESTAMP '2024-01-01 10:00:00.123456'"],
    [{ value: '2024-02-29', type: { kind: 'date' } }, "DATE '2024-02-29'"],
    [{ value: '42', type: { kind: 'bigint' } }, "BIGINT '42'"],
    [{ value: 3, type: { kind: 'bigint' } }, "BIGINT '3'"],
    [{ value: '-9223372036854775808', type: { kind: 'bigint' } }, "BIGINT '-9223372036854775808'"],
    [{ value: -7, type: { kind: 'int' } }, "INTEGER '-7'"],
    [{ value: 1.5, type: { kind: 'double' } }, "DOUBLE '1.5'"],
    [{ value: 0.25, type: { kind: 'float' } }, "REAL '0.25'"],
    [{ value: true, type: { kind: 'boolean' } }, 'true'],
  ];
  for (const [param, literal] of cases) assert.equal(athenaExecutionParameter(param), literal);
  assert.equal(athenaExecutionParameters([]), undefined, 'no ExecutionParameters at all when the query has no `?`');
});

test('values that no engine would carry faithfully are refused, not altered', () => {
  const refused: BoundParam[] = [
    { value: 'a\u0000b', type: { kind: 'string' } },
    { value: 'lone \uD800 surrogate', type: { kind: 'string' } },
    { value: 'x'.repeat(ATHENA_PARAMETER_MAX_LENGTH), type: { kind: 'string' } },
    { value: '12.345', type: { kind: 'decimal', precision: 12, scale: 2 } },
    { value: '123', type: { kind: 'decimal', precision: 4, scale: 2 } },
    { value: '1e3', type: { kind: 'decimal', precision: 12, scale: 2 } },
    { value: '2024-02-30', type: { kind: 'date' } },
    { value: '2024-01-01T10:00:00+02:00', type: { kind: 'timestamp' } },
    { value: '2024-01-01 24:00:00', type: { kind: 'timestamp' } },
    { value: "2024-01-01' OR '1'='1", type: { kind: 'timestamp' } },
    { value: '9223372036854775808', type: { kind: 'bigint' } },
    { value: '1 OR 1=1', type: { kind: 'bigint' } },
    { value: 2 ** 31, type: { kind: 'int' } },
    { value: Number.NaN, type: { kind: 'double' } },
    { value: 'true', type: { kind: 'boolean' } },
  ];
  for (const param of refused) {
    assert.throws(() => athenaExecutionParameter(param), /parameter|at most/, JSON.stringify(param));
  }
  assert.throws(() => redshiftDataParameters([{ value: 'a\u0000b', type: { kind: 'string' } }]));
});

test('Redshift Data API parameters are strings named like their placeholders; the empty string stays out', () => {
  const query = rows({
    where: and([
      inList(column('status'), [str('completed'), str('')]),
      compare('gte', column('ts'), ts('2024-01-01T10:00:00Z')),
      compare('eq', column('flag'), { value: false, type: { kind: 'boolean' } }),
      compare('lt', column('amount'), dec('99.95', 4, 2)),
    ]),
  });
  const compiled = compileQuery(query, dialectNamed('redshift-data'));
  assert.match(compiled.sql, /"t"\."status" IN \(:p1, ''\) AND "t"\."ts" >= CAST\(:p3 AS TIMESTAMP\) AND "t"\."flag" = CAST\(:p4 AS BOOLEAN\) AND "t"\."amount" < CAST\(:p5 AS DECIMAL\(4,2\)\)/);
  assert.deepEqual(redshiftDataParameters(compiled.params), [
    { name: 'p1', value: 'completed' },
    { name: 'p3', value: '2024-01-01 10:00:00.000' },
    { name: 'p4', value: 'false' },
    { name: 'p5', value: '99.95' },
  ]);
  // The PostgreSQL wire carries the empty string like any other value.
  assert.match(compileQuery(query, dialectNamed('redshift-pg')).sql, /"t"\."status" IN \(\$1, \$2\)/);
});

test('unknown dialect names, including Object.prototype keys, are refused', () => {
  assert.throws(() => dialectNamed('presto'), /no SQL dialect/);
  assert.throws(() => dialectNamed('toString'), /no SQL dialect/);
});

test('withSchemas reads a Glue database from its mapped schema, in plain reads and under a policy view; others stay', () => {
  const mapped = withSchemas(dialectNamed('redshift-data'), { sales: 'spectrum_sales', toString: 'x' });
  const view = { kind: 'view', table, columns: ['amount'], rowFilter: compare('eq', column('currency'), str('EUR')), masks: [] } as const;
  assert.match(compileQuery(rows({}), mapped).sql, /FROM "spectrum_sales"\."transactions" AS/);
  assert.match(compileQuery(rows({ from: view }), mapped).sql, /FROM "spectrum_sales"\."transactions" AS/);
  const other = { kind: 'table', table: { database: 'web', table: 'events' } } as const;
  assert.match(compileQuery(rows({ from: other }), mapped).sql, /FROM "web"\."events" AS/);
  assert.equal(withSchemas(dialectNamed('athena'), {}), dialectNamed('athena'), 'no mapping: the dialect itself');
});

/** A non-empty random value with a marker that SQL text could only contain if the value leaked into it. */
const MARK = '\u2603';
const marked = (inner: fc.Arbitrary<string>): fc.Arbitrary<string> => inner.map((text) => `${MARK}${text}${MARK}`);
const decimalValue = fc.tuple(fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), fc.integer({ min: 0, max: 99 }))
  .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);
const timestampValue = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString().replace('T', ' ').replace('Z', ''));

function valuesQuery(text: string, amount: string, at: string): LogicalQuery {
  return rows({
    from: {
      kind: 'view',
      table,
      columns: ['amount', 'status', 'ts'],
      rowFilter: compare('ne', column('status'), str(text)),
      masks: [{ column: 'amount', visibleWhen: like(column('status'), str(text)) }],
    },
    where: and([
      compare('eq', column('status'), str(text)),
      inList(column('amount'), [dec(amount, 12, 2)]),
      between(column('ts'), ts(at), ts(at)),
      compare('lt', column('device', 'os'), str(text)),
    ]),
  });
}

test('random string, decimal and timestamp values only ever travel as parameters', () => {
  const text = marked(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\u0000')));
  fc.assert(
    fc.property(text, decimalValue, timestampValue, text, decimalValue, timestampValue, (s1, d1, t1, s2, d2, t2) => {
      for (const dialect of DIALECTS) {
        const first = compileQuery(valuesQuery(s1, d1, t1), dialectNamed(dialect));
        const second = compileQuery(valuesQuery(s2, d2, t2), dialectNamed(dialect));
        assert.equal(first.sql, second.sql, 'the SQL text does not depend on the values');
        assert.ok(!first.sql.includes(MARK));
        assert.deepEqual(first.params.filter((param) => param.type.kind === 'string').map((param) => param.value), [s1, s1, s1, s1]);
        if (dialect === 'athena') first.params.forEach((param) => athenaExecutionParameter(param));
        if (dialect === 'redshift-data') assert.equal(redshiftDataParameters(first.params).length, first.params.length);
      }
    }),
    { numRuns: 300 },
  );
});

let duck: DuckDBInstance;
let connection: DuckDBConnection;
before(async () => {
  duck = await DuckDBInstance.create(':memory:');
  connection = await duck.connect();
});
after(() => {
  connection.closeSync();
  duck.closeSync();
});

/** What an engine with standard SQL string literals (Trino, DuckDB) reads back from the literal. */
async function readBack(literal: string): Promise<unknown> {
  const reader = await connection.runAndReadAll(`SELECT ${literal} AS v`);
  return reader.getRowObjectsJson()[0]?.['v'];
}

test('an Athena string literal reads back as exactly the string it was made from', async () => {
  const awkward = ["'", "''", "it's", '\\', "\\'", '?', "'?'", '"', '--', '/*', "'; DROP TABLE t; --", '\n\r\t', '\u2028', '😀', 'é\u0301', '\u001b[0m', ' '];
  for (const value of awkward) assert.equal(await readBack(athenaExecutionParameter({ value, type: { kind: 'string' } })), value);
  const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ maxLength: 60 }))
    .filter((value) => !value.includes('\u0000'));
  await fc.assert(
    fc.asyncProperty(anyString, async (value) => {
      assert.equal(await readBack(athenaExecutionParameter({ value, type: { kind: 'string' } })), value);
    }),
    { numRuns: 400 },
  );
});

test('typed Athena literals parse with the shared syntax and keep their values', async () => {
  const literals = [
    athenaExecutionParameter({ value: '12.34', type: { kind: 'decimal', precision: 12, scale: 2 } }),
    athenaExecutionParameter({ value: '2024-01-01T10:00:00.5Z', type: { kind: 'timestamp' } }),
    athenaExecutionParameter({ value: '2024-02-29', type: { kind: 'date' } }),
    athenaExecutionParameter({ value: '9007199254740993', type: { kind: 'bigint' } }),
    athenaExecutionParameter({ value: -7, type: { kind: 'int' } }),
    athenaExecutionParameter({ value: 1.5, type: { kind: 'double' } }),
    athenaExecutionParameter({ value: false, type: { kind: 'boolean' } }),
  ];
  const reader = await connection.runAndReadAll(`SELECT ${literals.map((literal, i) => `${literal} AS c${i}`).join(', ')}`);
  assert.deepEqual(reader.getRowObjectsJson()[0], {
    c0: '12.340', c1: '2024-01-01 10:00:00.5', c2: '2024-02-29', c3: '9007199254740993', c4: -7, c5: 1.5, c6: false,
  });
});
