import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Dataset } from '../../src/catalog/types';
import { and, between, column, compare, constant, inList, isNull, like, not, or } from '../../src/query/expr';
import type { AggregateQuery, Expr, Literal, RowQuery } from '../../src/query/types';
import { checkPartitionFilter, prunedColumns } from '../../src/planner/partition-filter';
import { ORDERS_DATASET } from '../support/lf-cases';

const text = (value: string): Literal => ({ value, type: { kind: 'string' } });
const dt = column('dt');
const region = column('region');
const day = compare('eq', dt, text('2024-01-01'));
const PARTITIONS = new Set(['dt', 'hour']);

const pruned = (expr: Expr | null): string[] => [...prunedColumns(expr, PARTITIONS)].sort();

describe('what bounds a partition column', () => {
  const cases: [string, Expr | null, string[]][] = [
    ['no filter', null, []],
    ['eq', day, ['dt']],
    ['a range', and([compare('gte', dt, text('2024-01-01')), compare('lt', dt, text('2024-02-01'))]), ['dt']],
    ['one side of a range', compare('lt', dt, text('2024-02-01')), ['dt']],
    ['in', inList(dt, [text('2024-01-01'), text('2024-01-02')]), ['dt']],
    ['between', between(dt, text('2024-01-01'), text('2024-01-31')), ['dt']],
    ['ne skips nothing worth it', compare('ne', dt, text('2024-01-01')), []],
    ['notIn', inList(dt, [text('2024-01-01')], true), []],
    ['like', like(dt, text('2024-01%')), []],
    ['isNull', isNull(dt), []],
    ['another column', compare('eq', region, text('EU')), []],
    ['a struct field of the same name is not the column', compare('eq', column('customer', 'dt'), text('x')), []],
    ['ANDed with anything', and([compare('eq', region, text('EU')), day]), ['dt']],
    ['two partition columns ANDed', and([day, compare('eq', column('hour'), text('10'))]), ['dt', 'hour']],
    ['an OR where every branch bounds it', or([day, compare('eq', dt, text('2024-01-05'))]), ['dt']],
    ['an OR with a branch lacking it', or([day, compare('eq', region, text('EU'))]), []],
    ['an OR bounding different columns per branch', or([day, compare('eq', column('hour'), text('10'))]), []],
    ['NOT of a range is a range', not(compare('lt', dt, text('2024-01-01'))), ['dt']],
    ['NOT of ne is eq', not(compare('ne', dt, text('2024-01-01'))), ['dt']],
    ['NOT of eq is ne', not(day), []],
    ['NOT of notIn is in', not(inList(dt, [text('2024-01-01')], true)), ['dt']],
    ['NOT of an OR of bounds: both bounds hold', not(or([compare('lt', dt, text('2024-01-01')), compare('gt', dt, text('2024-02-01'))])), ['dt']],
    ['NOT of an AND: one of the negations holds, so both must bound', not(and([day, compare('eq', region, text('EU'))])), []],
    ['double NOT', not(not(day)), ['dt']],
    ['a constant', constant(true), []],
  ];
  for (const [name, expr, expected] of cases) {
    test(name, () => assert.deepEqual(pruned(expr), expected));
  }
});

describe('a dataset that requires a partition filter', () => {
  const dataset: Dataset = { ...ORDERS_DATASET, requirePartitionFilter: true };
  const rows = (where: Expr | null): RowQuery => ({
    kind: 'rows', from: { kind: 'table', table: dataset.table }, select: [{ alias: 'region', column: region }],
    where, orderBy: [], limit: 10, offset: 0, perKeyLimit: null,
  });
  const aggregate = (where: Expr | null, compared?: { current: Expr; previous: Expr }): AggregateQuery => ({
    kind: 'aggregate', from: { kind: 'table', table: dataset.table }, where, groupBy: [], measures: [{ alias: 'm0', fn: 'count', column: null, columnType: null }],
    orderBy: [], limit: 10, offset: 0,
    compare: compared ? { time: dt, ...compared, shift: { unit: 'day', amount: 1 }, periodAlias: 'p' } : null,
  });

  test('a query bounding the partition column runs; one without is LIMIT_EXCEEDED naming the column', () => {
    checkPartitionFilter(rows(day), dataset, 'orders');
    assert.throws(() => checkPartitionFilter(rows(compare('eq', region, text('EU'))), dataset, 'orders'), (error: { message: string; extensions: Record<string, unknown> }) => {
      assert.equal(error.extensions['code'], 'LIMIT_EXCEEDED');
      assert.deepEqual(error.extensions['partitionColumns'], ['dt']);
      assert.match(error.message, /^orders: dataset "orders" must be filtered on its partition column dt \(eq, in, or a range/);
      return true;
    });
  });

  test('a comparison with a previous period needs each period (scan) bounded', () => {
    const january = and([compare('gte', dt, text('2024-01-01')), compare('lt', dt, text('2024-02-01'))]);
    const december = and([compare('gte', dt, text('2023-12-01')), compare('lt', dt, text('2024-01-01'))]);
    checkPartitionFilter(aggregate(null, { current: january, previous: december }), dataset, 'orders');
    checkPartitionFilter(aggregate(inList(dt, [text('2024-01-01')]), { current: constant(true), previous: constant(true) }), dataset, 'orders');
    assert.throws(() => checkPartitionFilter(aggregate(null, { current: january, previous: constant(true) }), dataset, 'orders'), /must be filtered on its partition column dt/);
  });

  test('a dataset without the setting takes any query', () => {
    checkPartitionFilter(rows(null), ORDERS_DATASET, 'orders');
  });
});
