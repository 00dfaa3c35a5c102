import fc from 'fast-check';
import { LABELS, REGIONS } from './lf-lake';
import {
  ALL_PRINCIPALS,
  COLUMNS,
  FILTER_COLUMNS,
  KIND,
  NUMERIC,
  TAG_KEYS,
  TAG_VALUES,
  type AggregateQuery,
  type CallerQuery,
  type CellsFilterSpec,
  type Col,
  type ColumnSpec,
  type Const,
  type Direction,
  type FilterCol,
  type PermissionSpec,
  type Pred,
  type ResourceSpec,
  type Row,
  type RowQuery,
  type Setup,
  type TagAssignment,
  type TagKey,
  type TagSetup,
  type UserFilter,
} from './lf-model';

/** fast-check arbitraries for Lake Formation setups over `shop.items` and for caller queries. */

const FILTER_COUNT = 3;

function decimalText(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 45 }), fc.constantFrom('', '5', '50', '25', '05', '125', '999'))
    .map(([negative, whole, fraction]) => `${negative && whole > 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`);
}

/** Constants for one column: mostly values that occur in the data, some invented. */
function constantsFor(col: Col, rows: readonly Row[]): fc.Arbitrary<string | number> {
  const seen = rows.map((row) => row[col]).filter((value): value is string | number => value !== null);
  const fromData = fc.constantFrom(...seen);
  switch (KIND[col]) {
    case 'string':
      return fc.oneof({ weight: 3, arbitrary: fromData }, { weight: 1, arbitrary: fc.constantFrom(...REGIONS, ...LABELS, 'west', 'North', 'e%', 'x') });
    case 'decimal':
      return fc.oneof({ weight: 2, arbitrary: fromData }, { weight: 2, arbitrary: decimalText() });
    case 'int':
      return fc.oneof({ weight: 1, arbitrary: fromData }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 14 }) });
    case 'bigint': {
      const neighbours = seen.flatMap((id) => [BigInt(id) - 1n, BigInt(id) + 1n].map(String));
      return fc.oneof({ weight: 3, arbitrary: fromData }, { weight: 1, arbitrary: fc.constantFrom(...neighbours, '0', '30') });
    }
  }
}

function partiqlConst(col: FilterCol, rows: readonly Row[]): fc.Arbitrary<Const> {
  return constantsFor(col, rows).map((value) => ({ kind: KIND[col] === 'string' ? 'string' : 'number', text: String(value) }));
}

export function predArbitrary(rows: readonly Row[]): fc.Arbitrary<Pred> {
  const col = fc.constantFrom(...FILTER_COLUMNS);
  const atom: fc.Arbitrary<Pred> = fc.oneof(
    { weight: 4, arbitrary: col.chain((c) => fc.record({ kind: fc.constant('cmp' as const), col: fc.constant(c), op: fc.constantFrom('=', '<>', '!=', '>', '<', '>=', '<=' as const), value: partiqlConst(c, rows) })) },
    { weight: 2, arbitrary: col.chain((c) => fc.record({ kind: fc.constant('in' as const), col: fc.constant(c), values: fc.array(partiqlConst(c, rows), { minLength: 1, maxLength: 4 }) })) },
    { weight: 1, arbitrary: col.chain((c) => fc.record({ kind: fc.constant('between' as const), col: fc.constant(c), low: partiqlConst(c, rows), high: partiqlConst(c, rows) })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('isNull' as const), col, negated: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('like' as const), col: fc.constant('region' as const), pattern: fc.constantFrom('%', 'e%', 'E_', '%o%', 'north', '_u%', "d'%", '') }) },
  );
  return fc.letrec<{ node: Pred }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: atom },
      { weight: 1, arbitrary: fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((args): Pred => ({ kind: 'and', args })) },
      { weight: 1, arbitrary: fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((args): Pred => ({ kind: 'or', args })) },
      { weight: 1, arbitrary: tie('node').map((arg): Pred => ({ kind: 'not', arg })) },
    ),
  })).node;
}

const columnSpec: fc.Arbitrary<ColumnSpec> = fc.oneof(
  fc.subarray([...COLUMNS], { minLength: 1 }).map((names) => ({ names })),
  // At least one column stays: a wildcard excluding every column is not a grant AWS accepts.
  fc.subarray([...COLUMNS], { maxLength: COLUMNS.length - 1 }).map((excluded) => ({ excluded })),
);

function cellsFilters(rows: readonly Row[]): fc.Arbitrary<CellsFilterSpec[]> {
  const filter = (index: number): fc.Arbitrary<CellsFilterSpec> =>
    fc.record({
      name: fc.constant(`filter_${index}`),
      row: fc.option(predArbitrary(rows), { freq: 5, nil: null }),
      style: fc.nat(),
      columns: columnSpec,
    });
  return fc.tuple(...Array.from({ length: FILTER_COUNT }, (_, index) => filter(index)));
}

const tagAssignment: fc.Arbitrary<TagAssignment> = fc
  .tuple(fc.option(fc.constantFrom(...TAG_VALUES.sensitivity), { nil: undefined }), fc.option(fc.constantFrom(...TAG_VALUES.domain), { nil: undefined }))
  .map(([sensitivity, domain]) => ({ ...(sensitivity ? { sensitivity } : {}), ...(domain ? { domain } : {}) }));

/** Both keys set: a column that overrides everything it inherits. */
const fullAssignment: fc.Arbitrary<TagAssignment> = fc.record({
  sensitivity: fc.constantFrom(...TAG_VALUES.sensitivity),
  domain: fc.constantFrom(...TAG_VALUES.domain),
});

/** Every column overriding one key with one value (all columns tagged `pii`, say). */
const uniformOverride = fc
  .constantFrom(...TAG_KEYS)
  .chain((key) => fc.constantFrom(...TAG_VALUES[key]).map((value): TagAssignment => ({ [key]: value })))
  .map((assignment) => COLUMNS.map(() => assignment));

/** Column overrides: a few (most setups), on nearly every column, or one key on all of them. */
const columnTags = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(...COLUMNS.map(() => fc.option(tagAssignment, { freq: 2, nil: undefined }))) },
  { weight: 1, arbitrary: fc.tuple(...COLUMNS.map(() => fc.option(fullAssignment, { freq: 8, nil: undefined }))) },
  { weight: 1, arbitrary: uniformOverride },
).map((list) => Object.fromEntries(COLUMNS.flatMap((name, index) => (list[index] === undefined ? [] : [[name, list[index]!]]))));

const tagSetup: fc.Arbitrary<TagSetup> = fc.record({
  database: tagAssignment,
  table: tagAssignment,
  columns: columnTags,
  style: fc.constantFrom('effective' as const, 'assigned' as const),
});

/**
 * An LF-Tag expression of 1–2 keys. Values are often anchored on a value the table or one of its
 * columns really carries, so policies match something (or the table but none of its columns).
 */
function tagExpression(tags: TagSetup): fc.Arbitrary<{ key: TagKey; values: string[] }[]> {
  const valueFor = (key: TagKey): fc.Arbitrary<string[]> => {
    const carried = [...new Set([tags.table[key] ?? tags.database[key], ...COLUMNS.map((col) => tags.columns[col]?.[key])])]
      .filter((value): value is string => value !== undefined);
    const random = fc.subarray([...TAG_VALUES[key]], { minLength: 1, maxLength: 2 });
    if (carried.length === 0) return random;
    return fc.oneof(random, fc.constantFrom(...carried).map((value) => [value]));
  };
  return fc
    .uniqueArray(fc.constantFrom(...TAG_KEYS), { minLength: 1, maxLength: 2 })
    .chain((keys) => fc.tuple(...keys.map((key) => valueFor(key).map((values) => ({ key, values })))));
}

function resource(tags: TagSetup): fc.Arbitrary<ResourceSpec> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'table' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'tableWildcard' as const }) },
    { weight: 3, arbitrary: columnSpec.map((columns) => ({ kind: 'columns' as const, columns })) },
    { weight: 5, arbitrary: fc.nat({ max: FILTER_COUNT - 1 }).map((filter) => ({ kind: 'cellsFilter' as const, filter })) },
    { weight: 3, arbitrary: tagExpression(tags).map((expression) => ({ kind: 'tagPolicy' as const, expression })) },
  );
}

const permission = (tags: TagSetup): fc.Arbitrary<PermissionSpec> => fc.record({
  principal: fc.constantFrom(...ALL_PRINCIPALS),
  permissions: fc.oneof(
    { weight: 6, arbitrary: fc.constant(['SELECT']) },
    { weight: 1, arbitrary: fc.constant(['ALL']) },
    { weight: 2, arbitrary: fc.constant(['DESCRIBE']) },
    { weight: 1, arbitrary: fc.shuffledSubarray(['SELECT', 'ALL', 'DESCRIBE'], { minLength: 2 }) },
  ),
  resource: resource(tags),
  omitCatalogId: fc.boolean(),
});

export function setupArbitrary(rows: readonly Row[]): fc.Arbitrary<Setup> {
  return tagSetup.chain((tags) =>
    fc.record({
      permissions: fc.array(permission(tags), { minLength: 0, maxLength: 4 }),
      filters: cellsFilters(rows),
      tags: fc.constant(tags),
    }));
}

// ---------------------------------------------------------------------------------------------
// Caller queries over a set of columns.

function userValue(col: Col, rows: readonly Row[]): fc.Arbitrary<string | number> {
  return constantsFor(col, rows).map((value) => (KIND[col] === 'int' ? Number(value) : String(value)));
}

function columnCondition(col: Col, rows: readonly Row[]): fc.Arbitrary<UserFilter> {
  const value = userValue(col, rows);
  const ops: fc.Arbitrary<[string, unknown]>[] = [
    fc.tuple(fc.constantFrom('eq', 'ne', 'gt', 'gte', 'lt', 'lte'), value),
    fc.tuple(fc.constantFrom('in', 'notIn'), fc.array(value, { minLength: 1, maxLength: 3 })),
    fc.tuple(fc.constant('isNull'), fc.boolean()),
  ];
  if (KIND[col] === 'string') ops.push(fc.tuple(fc.constantFrom('like', 'notLike'), fc.constantFrom('%', 'e%', '%a%', '_U', 'E_', '100%', '%\\%', 'north')));
  return fc
    .uniqueArray(fc.oneof(...ops), { minLength: 1, maxLength: 2, selector: ([op]) => op })
    .map((entries) => ({ [col]: Object.fromEntries(entries) }));
}

export function userFilterArbitrary(cols: readonly Col[], rows: readonly Row[]): fc.Arbitrary<UserFilter> {
  const leaf = fc.constantFrom(...cols).chain((col) => columnCondition(col, rows));
  return fc.letrec<{ node: UserFilter }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: leaf },
      { weight: 1, arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((list) => ({ and: list })) },
      { weight: 1, arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((list) => ({ or: list })) },
      { weight: 1, arbitrary: tie('node').map((inner) => ({ not: inner })) },
      { weight: 1, arbitrary: fc.tuple(leaf, leaf).map(([a, b]) => ({ ...a, ...b })) },
    ),
  })).node;
}

const DIRECTIONS: readonly Direction[] = ['ASC', 'DESC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST'];

function rowQuery(cols: readonly Col[], rows: readonly Row[]): fc.Arbitrary<RowQuery> {
  return fc.record({
    kind: fc.constant('rows' as const),
    fields: fc.subarray([...cols], { minLength: 1 }),
    where: fc.option(userFilterArbitrary(cols, rows), { freq: 3, nil: null }),
    orderBy: fc.uniqueArray(fc.record({ col: fc.constantFrom(...cols), direction: fc.constantFrom(...DIRECTIONS) }), { maxLength: 2, selector: (term) => term.col }),
  });
}

/** A subset of `list` in its order, of at most `max` items. */
function some<T>(list: readonly T[], max: number): fc.Arbitrary<T[]> {
  return fc.subarray([...list], { maxLength: Math.min(max, list.length) });
}

function aggregateQuery(cols: readonly Col[], rows: readonly Row[]): fc.Arbitrary<AggregateQuery> {
  const numeric = cols.filter((col) => NUMERIC.has(col));
  return fc
    .record({
      where: fc.option(userFilterArbitrary(cols, rows), { freq: 3, nil: null }),
      groupBy: some(cols, 2),
      extraKey: fc.option(fc.constantFrom(...cols), { freq: 4, nil: null }),
      count: fc.boolean(),
      countDistinct: some(cols, 2),
      sum: some(numeric, 2),
      min: some(cols, 2),
      max: some(cols, 2),
    })
    .map(({ extraKey, ...rest }) => {
      const keyFields = COLUMNS.filter((col) => rest.groupBy.includes(col) || col === extraKey);
      const empty = !rest.count && keyFields.length + rest.countDistinct.length + rest.sum.length + rest.min.length + rest.max.length === 0;
      return { kind: 'aggregate' as const, ...rest, keyFields, count: rest.count || empty };
    });
}

function queryOver(cols: readonly Col[], rows: readonly Row[]): fc.Arbitrary<CallerQuery> {
  return fc.oneof({ weight: 3, arbitrary: rowQuery(cols, rows) }, { weight: 2, arbitrary: aggregateQuery(cols, rows) });
}

/** Names `hidden` somewhere in `query`: selection, filter, order, grouping or a measure. */
function withHidden(query: CallerQuery, hidden: Col, spot: number): CallerQuery {
  const condition = { [hidden]: { isNull: spot % 2 === 0 } };
  const where = query.where ? { and: [query.where, condition] } : condition;
  if (query.kind === 'rows') {
    if (spot === 0) return { ...query, fields: [...query.fields, hidden] };
    if (spot === 1) return { ...query, where };
    return { ...query, orderBy: [...query.orderBy, { col: hidden, direction: 'DESC' }] };
  }
  if (spot === 0) return { ...query, groupBy: [...query.groupBy, hidden] };
  if (spot === 1) return { ...query, where };
  return { ...query, max: [...query.max, hidden] };
}

/**
 * A caller query for a caller who sees `visible`: mostly over visible columns only, sometimes
 * naming a hidden one; over any column when nothing is visible (the dataset must be absent).
 */
export function callerQueryArbitrary(visible: readonly Col[], rows: readonly Row[]): fc.Arbitrary<CallerQuery> {
  if (visible.length === 0) return queryOver(COLUMNS, rows);
  const hidden = COLUMNS.filter((col) => !visible.includes(col));
  if (hidden.length === 0) return queryOver(visible, rows);
  return fc.oneof(
    { weight: 9, arbitrary: queryOver(visible, rows) },
    { weight: 1, arbitrary: fc.tuple(queryOver(visible, rows), fc.constantFrom(...hidden), fc.nat({ max: 2 })).map(([query, col, spot]) => withHidden(query, col, spot)) },
  );
}
