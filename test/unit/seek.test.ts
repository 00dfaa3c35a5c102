import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RowValue } from '../../src/datasources/types';
import { seekAfter, type SeekTerm } from '../../src/planner/seek';
import { column } from '../../src/query/expr';
import type { Expr, ValueType } from '../../src/query/types';

/**
 * The keyset seek predicate against an in-memory sort: in any total order (any directions, nulls
 * first or last, nullable keys, ties broken by a unique key), the rows the predicate keeps after
 * row i are exactly the rows sorted after it — evaluated with SQL's three-valued logic.
 */

type TestRow = Record<string, RowValue>;
type Truth = boolean | null;

const INT: ValueType = { kind: 'int' };
const STRING: ValueType = { kind: 'string' };

/** SQL semantics for the node kinds the seek predicate uses: a comparison with null is unknown. */
function evaluate(expr: Expr, row: TestRow): Truth {
  switch (expr.kind) {
    case 'constant':
      return expr.value;
    case 'isNull':
      return (row[expr.column.path[0]!] === null) !== expr.negated;
    case 'not': {
      const inner = evaluate(expr.arg, row);
      return inner === null ? null : !inner;
    }
    case 'and': {
      const parts = expr.args.map((arg) => evaluate(arg, row));
      return parts.includes(false) ? false : parts.includes(null) ? null : true;
    }
    case 'or': {
      const parts = expr.args.map((arg) => evaluate(arg, row));
      return parts.includes(true) ? true : parts.includes(null) ? null : false;
    }
    case 'compare': {
      const value = row[expr.column.path[0]!] as string | number | null;
      if (value === null) return null;
      const literal = expr.value.value as string | number;
      const order = value < literal ? -1 : value > literal ? 1 : 0;
      return { eq: order === 0, ne: order !== 0, lt: order < 0, lte: order <= 0, gt: order > 0, gte: order >= 0 }[expr.op];
    }
    default:
      throw new Error(`the seek predicate has no ${expr.kind} node`);
  }
}

function compareRows(terms: readonly SeekTerm[]): (a: TestRow, b: TestRow) => number {
  return (a, b) => {
    for (const term of terms) {
      const name = term.target.path[0]!;
      const [x, y] = [a[name] as string | number | null, b[name] as string | number | null];
      if (x === y) continue;
      if (x === null || y === null) return (x === null) === (term.nulls === 'first') ? -1 : 1;
      const order = x < y ? -1 : 1;
      return term.direction === 'asc' ? order : -order;
    }
    return 0;
  };
}

const termArbitrary = (name: string, type: ValueType): fc.Arbitrary<SeekTerm> =>
  fc.record({ direction: fc.constantFrom('asc' as const, 'desc' as const), nulls: fc.constantFrom('first' as const, 'last' as const) })
    .map((order) => ({ target: column(name), type, ...order }));

const rowsArbitrary = fc.array(fc.record({
  a: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  b: fc.option(fc.constantFrom('x', 'y', 'z'), { nil: null }),
}), { minLength: 1, maxLength: 40 }).map((rows) => rows.map((row, id) => ({ ...row, id }) as TestRow));

test('seekAfter keeps exactly the rows sorted after the key, in any order with nulls', () => {
  fc.assert(fc.property(
    rowsArbitrary,
    fc.tuple(termArbitrary('a', INT), termArbitrary('b', STRING), fc.boolean(), termArbitrary('id', INT)),
    (rows, [a, b, swap, id]) => {
      const terms = [...(swap ? [b, a] : [a, b]), id];
      const sorted = [...rows].sort(compareRows(terms));
      sorted.forEach((last, index) => {
        const predicate = seekAfter(terms, terms.map((term) => last[term.target.path[0]!] ?? null));
        const kept = sorted.filter((row) => evaluate(predicate, row) === true);
        assert.deepEqual(kept, sorted.slice(index + 1));
      });
    },
  ), { numRuns: 300 });
});

test('key values travel as typed literals, never as text in the tree', () => {
  const predicate = seekAfter([{ target: column('amount'), type: { kind: 'decimal', precision: 12, scale: 2 }, direction: 'asc', nulls: 'last' }], ['12345678901.25']);
  assert.equal(JSON.stringify(predicate).includes('"value":"12345678901.25","type":{"kind":"decimal"'), true);
});
