import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import type { Client } from 'pg';
import { startConfiguredApp, type ConfiguredApp } from '../support/app';
import { connectRedshiftStandIn } from '../support/redshift-lake';
import {
  BIGINTS, DATES, DECIMALS, DOUBLES, LABELS, createTypedLake, doubleSql, sqlString, type TypedLake,
} from '../support/typed-lake';

/**
 * Typed values at their edges, served by the embedded engine (`samples`) and by PostgreSQL through
 * the Redshift dialect (`samplesPg`), checked against plain DuckDB SQL written here over the same
 * Parquet file: every filter operator and sum/min/max/avg/countDistinct.
 */
let client: Client | string;
let lake: TypedLake;
let app: ConfiguredApp;
let duck: DuckDBInstance;
let oracle: DuckDBConnection;

before(async () => {
  client = await connectRedshiftStandIn();
  if (typeof client === 'string') return;
  lake = await createTypedLake(client);
  app = await startConfiguredApp(lake.configFile);
  duck = await DuckDBInstance.create(':memory:');
  oracle = await duck.connect();
});
after(async () => {
  if (typeof client === 'string') return;
  await app.close();
  oracle.closeSync();
  duck.closeSync();
  await lake.remove();
  await client.end();
});

function needsPostgres(t: TestContext): boolean {
  if (typeof client === 'string') t.skip(client);
  return typeof client !== 'string';
}

const ENGINES = [
  { field: 'samples', filterType: 'SampleFilter' },
  { field: 'samplesPg', filterType: 'SamplePgFilter' },
] as const;

type Filter = Record<string, unknown>;

/** Column kinds as the oracle writes their literals. */
const KINDS: Readonly<Record<string, 'double' | 'bigint' | 'decimal' | 'date' | 'boolean' | 'string'>> = {
  id: 'bigint', ratio: 'double', big: 'bigint', price: 'decimal', day: 'date', flag: 'boolean', label: 'string',
};

function literal(field: string, value: unknown): string {
  switch (KINDS[field]) {
    case 'double': return doubleSql(Number(value));
    case 'bigint': return `CAST(${sqlString(String(value))} AS BIGINT)`;
    case 'decimal': {
      const scale = (String(value).split('.')[1] ?? '').length;
      return `CAST(${sqlString(String(value))} AS DECIMAL(38,${scale}))`;
    }
    case 'date': return `DATE ${sqlString(String(value))}`;
    case 'boolean': return String(value);
    default: return sqlString(String(value));
  }
}

const COMPARE_SQL: Readonly<Record<string, string>> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** The API's filter as DuckDB SQL, written from API.md: SQL comparisons, and null is unknown for every operator. */
function filterSql(filter: Filter): string {
  const parts = Object.entries(filter).map(([key, value]) => {
    if (key === 'and' || key === 'or') {
      const items = (value as Filter[]).map(filterSql);
      return items.length === 0 ? (key === 'and' ? 'TRUE' : 'FALSE') : `(${items.join(key === 'and' ? ' AND ' : ' OR ')})`;
    }
    if (key === 'not') return `(NOT ${filterSql(value as Filter)})`;
    return Object.entries(value as Filter).map(([op, operand]) => operatorSql(key, op, operand)).join(' AND ') || 'TRUE';
  });
  return parts.length === 0 ? 'TRUE' : `(${parts.join(' AND ')})`;
}

function operatorSql(field: string, op: string, operand: unknown): string {
  const column = `"${field}"`;
  if (op in COMPARE_SQL) return `(${column} ${COMPARE_SQL[op]} ${literal(field, operand)})`;
  if (op === 'isNull') return `(${column} IS ${operand ? '' : 'NOT '}NULL)`;
  if (op === 'like' || op === 'notLike') return `(${column} ${op === 'like' ? '' : 'NOT '}LIKE ${sqlString(String(operand))} ESCAPE '\\')`;
  const list = operand as unknown[];
  if (list.length === 0) return `(CASE WHEN ${column} IS NULL THEN NULL ELSE ${op === 'in' ? 'FALSE' : 'TRUE'} END)`;
  return `(${column} ${op === 'in' ? '' : 'NOT '}IN (${list.map((item) => literal(field, item)).join(', ')}))`;
}

async function oracleRows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await oracle.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

function fromFile(): string {
  return `read_parquet(${sqlString(lake.parquetFile)})`;
}

async function apiData(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await app.graphql(query, variables);
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return response.body.data;
}

async function apiIds(engine: (typeof ENGINES)[number], where: Filter): Promise<string[]> {
  const data = await apiData(`query($where: ${engine.filterType}) { ${engine.field}(where: $where, limit: 10000) { id } }`, { where });
  return (data[engine.field] as { id: string }[]).map((row) => row.id);
}

async function expectedIds(where: Filter): Promise<string[]> {
  const rows = await oracleRows(`SELECT CAST(id AS VARCHAR) AS key FROM ${fromFile()} WHERE ${filterSql(where)} ORDER BY id`);
  return rows.map((row) => String(row['key']));
}

const MEASURED = ['ratio', 'big', 'price', 'day', 'flag', 'label'] as const;
const NUMERIC = ['ratio', 'big', 'price'] as const;
const ORDERED = ['ratio', 'big', 'price', 'day', 'label'] as const;

function aggregateSelection(): string {
  return `count countDistinct { ${MEASURED.join(' ')} } sum { ${NUMERIC.join(' ')} } avg { ${NUMERIC.join(' ')} } min { ${ORDERED.join(' ')} } max { ${ORDERED.join(' ')} }`;
}

interface Aggregates {
  readonly count: string;
  readonly countDistinct: Record<string, string>;
  readonly sum: Record<string, unknown>;
  readonly avg: Record<string, number | null>;
  readonly min: Record<string, unknown>;
  readonly max: Record<string, unknown>;
  /** Σ|x| per numeric column: the scale of the rounding a float sum may carry. */
  readonly magnitude: Record<string, number>;
}

async function expectedAggregates(where: Filter): Promise<Aggregates> {
  const select = [
    'CAST(count(*) AS VARCHAR) AS count',
    ...MEASURED.map((c) => `CAST(count(DISTINCT "${c}") AS VARCHAR) AS "distinct_${c}"`),
    ...NUMERIC.map((c) => `CAST(sum("${c}") AS VARCHAR) AS "sum_${c}", avg("${c}") AS "avg_${c}", sum(abs(CAST("${c}" AS DOUBLE))) AS "magnitude_${c}"`),
    ...ORDERED.map((c) => `CAST(min("${c}") AS VARCHAR) AS "min_${c}", CAST(max("${c}") AS VARCHAR) AS "max_${c}"`),
  ];
  const [row] = await oracleRows(`SELECT ${select.join(', ')} FROM ${fromFile()} WHERE ${filterSql(where)}`);
  const pick = (prefix: string, columns: readonly string[]): Record<string, never> =>
    Object.fromEntries(columns.map((c) => [c, row![`${prefix}_${c}`] ?? null])) as Record<string, never>;
  return {
    count: String(row!['count']),
    countDistinct: pick('distinct', MEASURED),
    sum: pick('sum', NUMERIC),
    avg: pick('avg', NUMERIC),
    min: pick('min', ORDERED),
    max: pick('max', ORDERED),
    magnitude: pick('magnitude', NUMERIC),
  };
}

/** Exact decimal equality whatever the scale each engine wrote (`1.50` = `1.5`). */
function sameDecimal(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  const norm = (text: string): string => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text).replace(/^-0$/, '0');
  return norm(String(a)) === norm(String(b));
}

/** Floats within the rounding a sum of these values may carry (summation order differs per engine). */
function closeFloat(actual: unknown, expected: unknown, scale: number): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(Number(actual) - Number(expected)) <= 1e-12 * Math.max(scale, Math.abs(Number(expected))) + Number.MIN_VALUE;
}

function assertAggregates(actual: Record<string, Record<string, unknown> | string>, expected: Aggregates, where: Filter, field: string): void {
  const context = `${field} where ${JSON.stringify(where)}`;
  const group = (name: string): Record<string, unknown> => actual[name] as Record<string, unknown>;
  assert.equal(actual['count'], expected.count, context);
  assert.deepEqual(group('countDistinct'), expected.countDistinct, context);
  assert.equal(group('sum')['big'], expected.sum['big'], `exact integer sum: ${context}`);
  assert.ok(sameDecimal(group('sum')['price'], expected.sum['price']), `sum.price ${String(group('sum')['price'])} vs ${String(expected.sum['price'])}: ${context}`);
  assert.ok(closeFloat(group('sum')['ratio'], expected.sum['ratio'], expected.magnitude['ratio'] ?? 0), `sum.ratio: ${context}`);
  const rows = Number(expected.count);
  for (const column of NUMERIC) {
    const scale = (expected.magnitude[column] ?? 0) / Math.max(rows, 1);
    assert.ok(closeFloat(group('avg')[column], expected.avg[column], scale), `avg.${column} ${String(group('avg')[column])} vs ${String(expected.avg[column])}: ${context}`);
  }
  for (const bound of ['min', 'max'] as const) {
    const got = group(bound);
    const want = expected[bound];
    // `+ 0` turns -0 into 0: JSON has no -0, and min/max may pick either of two equal zeros.
    assert.equal(got['ratio'] === null ? null : Number(got['ratio']) + 0, want['ratio'] === null ? null : Number(want['ratio']) + 0, `${bound}.ratio: ${context}`);
    assert.equal(got['big'], want['big'], `${bound}.big: ${context}`);
    assert.ok(sameDecimal(got['price'], want['price']), `${bound}.price: ${context}`);
    assert.equal(got['day'], want['day'], `${bound}.day: ${context}`);
    assert.equal(got['label'], want['label'], `${bound}.label: ${context}`);
  }
}

async function apiAggregates(engine: (typeof ENGINES)[number], where: Filter): Promise<Record<string, Record<string, unknown> | string>> {
  const data = await apiData(`query($where: ${engine.filterType}) { ${engine.field}Aggregate(where: $where) { ${aggregateSelection()} } }`, { where });
  return (data[`${engine.field}Aggregate`] as Record<string, Record<string, unknown> | string>[])[0]!;
}

test('doubles of any magnitude are bound as doubles on both engines (1e300, 1e19, an in-list with whole numbers past 2^63)', async (t) => {
  if (!needsPostgres(t)) return;
  const filters: Filter[] = [
    { ratio: { gte: 1e300 } }, { ratio: { lt: 1e19 } }, { ratio: { in: [1e20, 0.1] } }, { ratio: { eq: 2 ** 63 } },
    { ratio: { lte: -1e300 } }, { ratio: { eq: 5e-324 } }, { ratio: { gt: 1.7976931348623157e308 } }, { ratio: { notIn: [2 ** 64, -0] } },
  ];
  for (const where of filters) {
    const expected = await expectedIds(where);
    for (const engine of ENGINES) assert.deepEqual(await apiIds(engine, where), expected, `${engine.field} ${JSON.stringify(where)}`);
  }
  assert.ok((await expectedIds({ ratio: { gte: 1e300 } })).length > 0, 'the lake holds 1e300');
});

test('the sum of a bigint column is exact beyond 64 bits, as a BigInt string, on both engines', async (t) => {
  if (!needsPostgres(t)) return;
  const exact = lake.rows.reduce((sum, row) => sum + (row.big === null ? 0n : BigInt(row.big)), 0n);
  const positive = lake.rows.reduce((sum, row) => sum + (row.big !== null && BigInt(row.big) > 0n ? BigInt(row.big) : 0n), 0n);
  assert.ok(positive > 2n ** 63n && exact < -(2n ** 63n), 'the sums leave the int64 range both ways');
  for (const engine of ENGINES) {
    const total = await apiAggregates(engine, {});
    assert.equal((total['sum'] as Record<string, unknown>)['big'], exact.toString(), engine.field);
    const above = await apiAggregates(engine, { big: { gt: '0' } });
    assert.equal((above['sum'] as Record<string, unknown>)['big'], positive.toString(), engine.field);
  }
});

test('a bigint input outside 64 bits is BAD_USER_INPUT; an engine overflow is QUERY_FAILED naming it', async (t) => {
  if (!needsPostgres(t)) return;
  const input = await app.graphql('{ samples(where: { big: { eq: "9223372036854775808" } }) { id } }');
  assert.equal(input.status, 400);
  assert.equal(input.body.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  const variable = await app.graphql('query($v: BigInt) { samples(where: { big: { eq: $v } }) { id } }', { v: '-9223372036854775809' });
  assert.equal(variable.body.errors[0].extensions.code, 'BAD_USER_INPUT');
  // Two values of 9e37 in a decimal(38,0) column: DuckDB (like Athena and Redshift) sums within 38 digits.
  const overflow = await app.graphql('{ samplesAggregate { sum { huge } } }');
  assert.equal(overflow.body.errors[0].extensions.code, 'QUERY_FAILED');
  assert.match(overflow.body.errors[0].message, /overflow/i);
});

test('timeGroup on a date column gives Date keys; HOUR is refused for it', async (t) => {
  if (!needsPostgres(t)) return;
  for (const engine of ENGINES) {
    const data = await apiData(`{ ${engine.field}Aggregate(timeGroup: { column: DAY, grain: MONTH }) { key { day } count } }`);
    const keys = (data[`${engine.field}Aggregate`] as { key: { day: string | null } }[]).map((row) => row.key.day);
    const months = [...new Set(lake.rows.map((row) => (row.day === null ? null : `${row.day.slice(0, 7)}-01`)))];
    assert.deepEqual(keys, months.sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b))), engine.field);
    const hour = await app.graphql(`{ ${engine.field}Aggregate(timeGroup: { column: DAY, grain: HOUR }) { count } }`);
    assert.equal(hour.body.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.match(hour.body.errors[0].message, /date: it has no HOUR grain/);
  }
});

/** Operands: mostly values from the lake's pools (so filters select something), some anywhere in the type's range. */
const OPERANDS: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  id: fc.bigInt({ min: -2n, max: 90n }).map(String),
  ratio: fc.oneof(fc.constantFrom(...DOUBLES), fc.double({ noNaN: true, noDefaultInfinity: true })),
  big: fc.oneof(fc.constantFrom(...BIGINTS), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)),
  price: fc.oneof(
    fc.constantFrom(...DECIMALS),
    fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }), fc.nat({ max: 99_999_999 }))
      .map(([whole, scale, fraction]) => (scale === 0 ? String(whole) : `${whole}.${String(fraction).padStart(8, '0').slice(0, scale)}`)),
  ),
  day: fc.oneof(fc.constantFrom(...DATES), fc.date({ min: new Date('1899-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10))),
  flag: fc.boolean(),
  label: fc.oneof(fc.constantFrom(...LABELS), fc.string({ maxLength: 3 })),
};

function columnFilter(field: string): fc.Arbitrary<Filter> {
  const value = OPERANDS[field]!;
  const ops: fc.Arbitrary<[string, unknown]>[] = [
    fc.tuple(fc.constantFrom('eq', 'ne'), value),
    fc.tuple(fc.constant('isNull'), fc.boolean()),
  ];
  if (field !== 'flag') {
    ops.push(fc.tuple(fc.constantFrom('gt', 'gte', 'lt', 'lte'), value));
    ops.push(fc.tuple(fc.constantFrom('in', 'notIn'), fc.array(value, { maxLength: 3 })));
  }
  if (field === 'label') ops.push(fc.tuple(fc.constantFrom('like', 'notLike'), fc.constantFrom('%', 'a%', '%\\%', '_', 'a\\_b', '%lpha', 'back\\\\%', '')));
  return fc.uniqueArray(fc.oneof(...ops), { minLength: 1, maxLength: 2, selector: ([op]) => op })
    .map((entries) => ({ [field]: Object.fromEntries(entries) }));
}

const leaf = fc.constantFrom(...Object.keys(KINDS)).chain(columnFilter);

const filter: fc.Arbitrary<Filter> = fc.letrec<{ node: Filter }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 3 }).map((list) => ({ and: list })),
    fc.array(tie('node'), { maxLength: 3 }).map((list) => ({ or: list })),
    tie('node').map((inner) => ({ not: inner })),
    fc.tuple(leaf, leaf).map(([a, b]) => ({ ...a, ...b })),
  ),
})).node;

test('filters the property test once failed on: rows and every measure agree', async (t) => {
  if (!needsPostgres(t)) return;
  const found: Filter[] = [
    { not: { or: [{ not: { big: { ne: '9223372036854775807' } } }, { ratio: { isNull: false }, day: { notIn: ['1970-01-01'] } }] } },
  ];
  for (const where of found) {
    const ids = await expectedIds(where);
    const aggregates = await expectedAggregates(where);
    for (const engine of ENGINES) {
      assert.deepEqual(await apiIds(engine, where), ids, `${engine.field} rows where ${JSON.stringify(where)}`);
      assertAggregates(await apiAggregates(engine, where), aggregates, where, engine.field);
    }
  }
});

test('random filters over typed values: rows and every measure agree with plain DuckDB SQL, on DuckDB and on PostgreSQL', async (t) => {
  if (!needsPostgres(t)) return;
  await fc.assert(
    fc.asyncProperty(filter, async (where) => {
      const ids = await expectedIds(where);
      const aggregates = await expectedAggregates(where);
      for (const engine of ENGINES) {
        assert.deepEqual(await apiIds(engine, where), ids, `${engine.field} rows where ${JSON.stringify(where)}`);
        assertAggregates(await apiAggregates(engine, where), aggregates, where, engine.field);
      }
    }),
    { numRuns: 120 },
  );
});
