import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../support/app';
import { matches, TRANSACTION_COLUMNS as COLUMNS, type Filter, type OracleColumn } from '../support/oracle';

/**
 * Differential test: random filters through the whole API must return exactly the rows that a
 * plain in-memory evaluation of the same filter selects from the same files.
 */
let app: TestApp;
let rows: Record<string, unknown>[];

before(async () => {
  app = await startTestApp({ rows: 1500 });
  rows = await app.lake.rawRows('transactions');
});
after(() => app.close());

/** Operand values: mostly taken from the data (so filters select something), some invented. */
function valueFor(col: OracleColumn): fc.Arbitrary<unknown> {
  const seen = fc.constantFrom(...rows.map((row) => row[col.column]).filter((value) => value !== null));
  const asApi = (value: unknown): unknown => (col.kind === 'timestamp' ? `${String(value).replace(' ', 'T')}Z` : value);
  const invented: Record<string, fc.Arbitrary<unknown>> = {
    bigint: fc.bigInt({ min: -5n, max: 200_000n }).map(String),
    decimal: fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 99 })).map(([w, f]) => `${w}.${String(f).padStart(2, '0')}`),
    string: fc.constantFrom('', 'web', 'WEB', 'zzz', 'J', 'é'),
    timestamp: fc.date({ min: new Date('2023-12-31T00:00:00Z'), max: new Date('2024-04-02T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  };
  return fc.oneof({ weight: 4, arbitrary: seen.map(asApi) }, { weight: 1, arbitrary: invented[col.kind] ?? seen.map(asApi) });
}

function columnFilter(col: OracleColumn): fc.Arbitrary<Filter> {
  const value = valueFor(col);
  const ops: fc.Arbitrary<[string, unknown]>[] = [
    fc.tuple(fc.constantFrom('eq', 'ne', 'gt', 'gte', 'lt', 'lte'), value),
    fc.tuple(fc.constantFrom('in', 'notIn'), fc.array(value, { maxLength: 4 })),
    fc.tuple(fc.constant('isNull'), fc.boolean()),
  ];
  if (col.kind === 'string') {
    ops.push(fc.tuple(fc.constantFrom('like', 'notLike'), fc.constantFrom('%', 'w%', '%e%', '_e_', 'J__', '%\\%%', 'completed')));
  }
  return fc.uniqueArray(fc.oneof(...ops), { minLength: 1, maxLength: 2, selector: ([op]) => op })
    .map((entries) => ({ [col.field]: Object.fromEntries(entries) }));
}

const leaf = fc.constantFrom(...COLUMNS).chain(columnFilter);

const filter: fc.Arbitrary<Filter> = fc.letrec<{ node: Filter }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { minLength: 0, maxLength: 3 }).map((list) => ({ and: list })),
    fc.array(tie('node'), { minLength: 0, maxLength: 3 }).map((list) => ({ or: list })),
    tie('node').map((inner) => ({ not: inner })),
    fc.tuple(leaf, leaf).map(([a, b]) => ({ ...a, ...b })),
  ),
})).node;

test('random filters select exactly the rows the in-memory evaluation selects', async () => {
  await fc.assert(
    fc.asyncProperty(filter, async (where) => {
      const response = await app.graphql('query($where: TransactionFilter) { transactions(where: $where, limit: 10000) { transactionId } }', { where });
      assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
      const actual = (response.body.data.transactions as { transactionId: string }[]).map((row) => row.transactionId).sort();
      const expected = rows.filter((row) => matches(row, where, COLUMNS)).map((row) => String(row['transaction_id'])).sort();
      assert.deepEqual(actual, expected);
    }),
    { numRuns: 300 },
  );
});
