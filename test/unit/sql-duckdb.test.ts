import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, column, compare, inList, isNull, like, not, or } from '../../src/query/expr';
import type { AggregateQuery, RowQuery } from '../../src/query/types';
import { compileQuery } from '../../src/sql/compiler';
import { duckdbDialect } from '../../src/sql/duckdb';

const table = { database: 'sales', table: 'transactions' };
const from = { kind: 'table', table } as const;
const str = (value: string) => ({ value, type: { kind: 'string' } as const });

function rows(partial: Partial<RowQuery>): RowQuery {
  return { kind: 'rows', from, select: [{ alias: 'amount', column: column('amount') }], where: null, orderBy: [], limit: 10, offset: 0, perKeyLimit: null, ...partial };
}

test('a row query selects, filters, orders and pages with every value bound', () => {
  const compiled = compileQuery(rows({
    where: and([
      compare('gte', column('amount'), { value: '100.5', type: { kind: 'decimal', precision: 4, scale: 1 } }),
      or([inList(column('channel'), [str('web'), str('app')]), isNull(column('channel'))]),
      not(like(column('status'), str('ref%'))),
    ]),
    orderBy: [{ target: column('amount'), direction: 'desc', nulls: 'last' }],
    offset: 20,
  }), duckdbDialect);
  assert.equal(compiled.sql,
    'SELECT "t"."amount" AS "amount" FROM "sales"."transactions" AS "t" WHERE ("t"."amount" >= CAST(? AS DECIMAL(4,1)) AND ("t"."channel" IN (?, ?) OR "t"."channel" IS NULL) AND (NOT "t"."status" LIKE ? ESCAPE \'\\\')) ORDER BY "t"."amount" DESC NULLS LAST LIMIT CAST(? AS BIGINT) OFFSET CAST(? AS BIGINT)');
  assert.deepEqual(compiled.params.map((param) => param.value), ['100.5', 'web', 'app', 'ref%', 10, 20]);
});

test('values never reach the SQL text, whatever they contain', () => {
  const evil = `x' OR 1=1; DROP TABLE t; --"`;
  const compiled = compileQuery(rows({ where: compare('eq', column('status'), str(evil)) }), duckdbDialect);
  assert.ok(!compiled.sql.includes(evil));
  assert.ok(!compiled.sql.includes('DROP'));
  assert.equal(compiled.params[0]?.value, evil);
});

test('struct fields are read with struct_extract and identifiers are quoted', () => {
  const compiled = compileQuery(rows({ select: [{ alias: 'we"ird', column: column('device') }], where: compare('eq', column('device', 'os'), str('ios')) }), duckdbDialect);
  assert.match(compiled.sql, /SELECT "t"."device" AS "we""ird"/);
  assert.match(compiled.sql, /struct_extract\("t"."device", 'os'\) = \?/);
});

test('an empty IN list is false and an empty NOT IN true for a value, unknown for a null (no `IN ()`)', () => {
  assert.match(compileQuery(rows({ where: inList(column('status'), []) }), duckdbDialect).sql, /WHERE \(CASE WHEN "t"."status" IS NOT NULL THEN FALSE END\)/);
  assert.match(compileQuery(rows({ where: inList(column('status'), [], true) }), duckdbDialect).sql, /WHERE \(CASE WHEN "t"."status" IS NOT NULL THEN TRUE END\)/);
});

test('a per-key limit ranks rows per parent key in one statement', () => {
  const compiled = compileQuery(rows({
    select: [{ alias: 'customer_id', column: column('customer_id') }],
    where: inList(column('customer_id'), [{ value: '1', type: { kind: 'bigint' } }]),
    orderBy: [{ target: column('ts'), direction: 'desc', nulls: 'last' }],
    limit: null,
    perKeyLimit: { partitionBy: column('customer_id'), limit: 3 },
  }), duckdbDialect);
  assert.equal(compiled.sql,
    'SELECT "customer_id" FROM (SELECT "t"."customer_id" AS "customer_id", row_number() OVER (PARTITION BY "t"."customer_id" ORDER BY "t"."ts" DESC NULLS LAST) AS "__lakegate_rn" FROM "sales"."transactions" AS "t" WHERE "t"."customer_id" IN (CAST(? AS BIGINT))) AS "ranked" WHERE "__lakegate_rn" <= CAST(? AS BIGINT) ORDER BY "__lakegate_rn"');
  assert.deepEqual(compiled.params.map((param) => param.value), ['1', 3]);
});

test('an aggregate groups by keys and time buckets and orders by measures', () => {
  const query: AggregateQuery = {
    kind: 'aggregate',
    from,
    where: null,
    groupBy: [{ alias: 'k0', column: column('channel'), grain: null }, { alias: 'k1', column: column('ts'), grain: 'day' }],
    measures: [
      { alias: 'm0', fn: 'count', column: null, columnType: null },
      { alias: 'm1', fn: 'countDistinct', column: column('customer_id'), columnType: { kind: 'bigint' } },
      { alias: 'm2', fn: 'sum', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } },
    ],
    orderBy: [{ target: { alias: 'm2' }, direction: 'desc', nulls: 'last' }],
    limit: 100,
    offset: 0,
  };
  assert.equal(compileQuery(query, duckdbDialect).sql,
    'SELECT "t"."channel" AS "k0", date_trunc(\'day\', "t"."ts") AS "k1", count(*) AS "m0", count(DISTINCT "t"."customer_id") AS "m1", sum("t"."amount") AS "m2" FROM "sales"."transactions" AS "t" GROUP BY "t"."channel", date_trunc(\'day\', "t"."ts") ORDER BY "m2" DESC NULLS LAST LIMIT CAST(? AS BIGINT)');
});

test('a policy view filters rows and masks cells before the caller\'s own clauses, parameters in text order', () => {
  const compiled = compileQuery(rows({
    from: {
      kind: 'view',
      table,
      columns: ['amount', 'currency'],
      rowFilter: compare('eq', column('currency'), str('JPY')),
      masks: [{ column: 'amount', visibleWhen: compare('eq', column('status'), str('completed')) }],
    },
    where: compare('gt', column('amount'), { value: '10', type: { kind: 'decimal', precision: 2, scale: 0 } }),
  }), duckdbDialect);
  assert.equal(compiled.sql,
    'SELECT "t"."amount" AS "amount" FROM (SELECT CASE WHEN "v"."status" = ? THEN "v"."amount" END AS "amount", "v"."currency" AS "currency" FROM "sales"."transactions" AS "v" WHERE "v"."currency" = ?) AS "t" WHERE "t"."amount" > CAST(? AS DECIMAL(2,0)) LIMIT CAST(? AS BIGINT)');
  assert.deepEqual(compiled.params.map((param) => param.value), ['completed', 'JPY', '10', 10]);
});

test('averages are a double sum over the count, so every engine gives the same answer', () => {
  const query: AggregateQuery = {
    kind: 'aggregate', from, where: null, groupBy: [],
    measures: [{ alias: 'm0', fn: 'avg', column: column('amount'), columnType: { kind: 'decimal', precision: 12, scale: 2 } }],
    orderBy: [], limit: null, offset: 0,
  };
  assert.equal(compileQuery(query, duckdbDialect).sql, 'SELECT (sum(CAST("t"."amount" AS DOUBLE)) / count("t"."amount")) AS "m0" FROM "sales"."transactions" AS "t"');
});
