import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseHiveType } from '../../src/catalog/hive-type';
import type { GlueColumn, GlueTable } from '../../src/catalog/types';
import { formatRowFilter, parseRowFilter } from '../../src/policy/row-filter';
import { and, between, column, compare, inList, isNull, like, not, or } from '../../src/query/expr';
import type { ColumnPath, CompareOp, Expr, Literal, ValueType } from '../../src/query/types';

function glueColumn(name: string, typeText: string, partitionKey = false): GlueColumn {
  const parsed = parseHiveType(typeText);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return { name, type: parsed.type, typeText, comment: null, partitionKey };
}

/** The brief's table, plus a double, a tinyint, a map and a name that needs quoting. */
const TABLE: GlueTable = {
  database: 'sales',
  name: 'orders',
  description: null,
  location: 's3://lake/sales/orders/',
  format: 'parquet',
  columns: [
    glueColumn('country', 'string'),
    glueColumn('amount', 'decimal(12,2)'),
    glueColumn('customer_id', 'bigint'),
    glueColumn('qty', 'int'),
    glueColumn('created_at', 'timestamp'),
    glueColumn('day', 'date'),
    glueColumn('active', 'boolean'),
    glueColumn('device', 'struct<os:string,browser:string>'),
    glueColumn('items', 'array<struct<sku:string>>'),
    glueColumn('score', 'double'),
    glueColumn('level', 'tinyint'),
    glueColumn('tags', 'map<string,string>'),
    glueColumn('order-ref', 'string'),
    glueColumn('dt', 'string', true),
  ],
};

const str = (value: string): Literal => ({ value, type: { kind: 'string' } });
const int = (value: number): Literal => ({ value, type: { kind: 'int' } });
const big = (value: string): Literal => ({ value, type: { kind: 'bigint' } });
const dec = (value: string, precision: number, scale: number): Literal => ({ value, type: { kind: 'decimal', precision, scale } });
const dbl = (value: number): Literal => ({ value, type: { kind: 'double' } });
const bool = (value: boolean): Literal => ({ value, type: { kind: 'boolean' } });
const date = (value: string): Literal => ({ value, type: { kind: 'date' } });
const ts = (value: string): Literal => ({ value, type: { kind: 'timestamp' } });

const country = column('country');
const qty = column('qty');

function parsed(text: string): Expr {
  const result = parseRowFilter(text, TABLE);
  assert.ok(result.ok, result.ok ? '' : `${text}: ${result.error}`);
  return result.expr;
}

function failure(text: string): { error: string; position: number } {
  const result = parseRowFilter(text, TABLE);
  assert.equal(result.ok, false, `${text} should be rejected`);
  return result.ok ? { error: '', position: -1 } : result;
}

test('comparison operators map to CompareOp', () => {
  const ops: [string, CompareOp][] = [['=', 'eq'], ['<>', 'ne'], ['!=', 'ne'], ['>', 'gt'], ['>=', 'gte'], ['<', 'lt'], ['<=', 'lte']];
  for (const [text, op] of ops) {
    assert.deepEqual(parsed(`qty ${text} 5`), compare(op, qty, int(5)), text);
    assert.deepEqual(parsed(`qty${text}-5`), compare(op, qty, int(-5)), `${text} without spaces`);
  }
});

test('BETWEEN, IN, LIKE and IS NULL, each with its negation', () => {
  assert.deepEqual(parsed('qty BETWEEN 1 AND 10'), between(qty, int(1), int(10)));
  assert.deepEqual(parsed('qty NOT BETWEEN 1 AND 10'), not(between(qty, int(1), int(10))));
  assert.deepEqual(parsed("country IN ('US', 'SE', 'AL')"), inList(country, [str('US'), str('SE'), str('AL')]));
  assert.deepEqual(parsed("country NOT IN ('US')"), inList(country, [str('US')], true));
  assert.deepEqual(parsed("country LIKE 'U%'"), like(country, str('U%')));
  assert.deepEqual(parsed("country NOT LIKE '_S'"), like(country, str('_S'), true));
  assert.deepEqual(parsed('country IS NULL'), isNull(country));
  assert.deepEqual(parsed('country IS NOT NULL'), isNull(country, true));
  assert.deepEqual(parsed('device.os IS NULL'), isNull(column('device', 'os')));
});

test('LIKE: a backslash is literal in PartiQL, so it is doubled; ESCAPE makes wildcards literal', () => {
  assert.deepEqual(parsed(String.raw`country LIKE 'a\b%'`), like(country, str(String.raw`a\\b%`)));
  assert.deepEqual(parsed(String.raw`country LIKE '\%'`), like(country, str(String.raw`\\%`)));
  assert.deepEqual(parsed("country LIKE '100#%#_x##' ESCAPE '#'"), like(country, str(String.raw`100\%\_x#`)));
  assert.deepEqual(parsed(String.raw`country LIKE 'a\%\\' ESCAPE '\'`), like(country, str(String.raw`a\%\\`)));
  assert.deepEqual(parsed("country LIKE 'it''s%'"), like(country, str("it's%")));
});

test('AND binds tighter than OR; NOT tighter than AND; parentheses override; chains flatten', () => {
  const a = compare('eq', country, str('US'));
  const b = compare('gt', qty, int(1));
  const c = compare('eq', column('active'), bool(true));
  assert.deepEqual(parsed("country = 'US' OR qty > 1 AND active = TRUE"), or([a, and([b, c])]));
  assert.deepEqual(parsed("country = 'US' AND qty > 1 OR active = TRUE"), or([and([a, b]), c]));
  assert.deepEqual(parsed("(country = 'US' OR qty > 1) AND active = TRUE"), and([or([a, b]), c]));
  assert.deepEqual(parsed("NOT country = 'US' AND qty > 1"), and([not(a), b]));
  assert.deepEqual(parsed("NOT (country = 'US' AND qty > 1)"), not(and([a, b])));
  assert.deepEqual(parsed("NOT NOT country = 'US'"), not(not(a)));
  assert.deepEqual(parsed("((country = 'US'))"), a);
  assert.deepEqual(parsed("(country = 'US' AND qty > 1) AND active = TRUE"), and([a, b, c]));
  assert.deepEqual(parsed("country = 'US' OR (qty > 1 OR active = TRUE)"), or([a, b, c]));
  assert.deepEqual(parsed('qty BETWEEN 1 AND 2 AND qty <> 3'), and([between(qty, int(1), int(2)), compare('ne', qty, int(3))]));
});

test('keywords and column names are case-insensitive; values are not', () => {
  assert.deepEqual(
    parsed("CoUnTrY = 'us' aNd QTY bEtWeEn 1 AnD 2 Or Active Is NoT nUlL"),
    or([and([compare('eq', country, str('us')), between(qty, int(1), int(2))]), isNull(column('active'), true)]),
  );
  assert.deepEqual(parsed('ACTIVE = false'), compare('eq', column('active'), bool(false)));
});

test('quoted identifiers and struct fields resolve to the Glue spelling', () => {
  assert.deepEqual(parsed(`"country" = 'US'`), compare('eq', country, str('US')));
  assert.deepEqual(parsed(`"COUNTRY" = 'US'`), compare('eq', country, str('US')));
  assert.deepEqual(parsed(`"order-ref" = 'R1'`), compare('eq', column('order-ref'), str('R1')));
  assert.deepEqual(parsed("device.os = 'ios'"), compare('eq', column('device', 'os'), str('ios')));
  assert.deepEqual(parsed(`Device."OS" <> 'ios'`), compare('ne', column('device', 'os'), str('ios')));
  assert.deepEqual(parsed("device . browser IN ('x')"), inList(column('device', 'browser'), [str('x')]));
});

test('string literals: doubled quotes, any characters, case kept', () => {
  assert.deepEqual(parsed("country = 'Côte d''Ivoire'"), compare('eq', country, str("Côte d'Ivoire")));
  assert.deepEqual(parsed("country = ''''"), compare('eq', country, str("'")));
  assert.deepEqual(parsed("country = ''"), compare('eq', country, str('')));
  assert.deepEqual(parsed("country = 'a \"b\" AND c'"), compare('eq', country, str('a "b" AND c')));
});

test('literals are typed by their column', () => {
  assert.deepEqual(parsed('amount > 12.50'), compare('gt', column('amount'), dec('12.50', 4, 2)));
  assert.deepEqual(parsed('amount = -3'), compare('eq', column('amount'), dec('-3', 1, 0)));
  assert.deepEqual(parsed('amount < 0.05'), compare('lt', column('amount'), dec('0.05', 3, 2)));
  assert.deepEqual(parsed('amount = 12345678901234567890.123456789'), compare('eq', column('amount'), dec('12345678901234567890.123456789', 29, 9)));
  assert.deepEqual(parsed('customer_id = 9007199254740993'), compare('eq', column('customer_id'), big('9007199254740993')));
  assert.deepEqual(parsed('customer_id >= -0009223372036854775808'), compare('gte', column('customer_id'), big('-9223372036854775808')));
  assert.deepEqual(parsed('qty = -0'), compare('eq', qty, int(0)));
  assert.deepEqual(parsed('level = -128'), compare('eq', column('level'), int(-128)));
  assert.deepEqual(parsed('score < 1.5e3'), compare('lt', column('score'), dbl(1500)));
  assert.deepEqual(parsed('score > -2'), compare('gt', column('score'), dbl(-2)));
  assert.deepEqual(parsed('active <> TRUE'), compare('ne', column('active'), bool(true)));
});

test('DATE and TIMESTAMP literals (and plain strings for date and timestamp columns)', () => {
  assert.deepEqual(parsed("day = DATE '2024-02-29'"), compare('eq', column('day'), date('2024-02-29')));
  assert.deepEqual(parsed("day >= '2024-01-01'"), compare('gte', column('day'), date('2024-01-01')));
  assert.deepEqual(parsed("created_at < TIMESTAMP '2024-01-01 10:00:00'"), compare('lt', column('created_at'), ts('2024-01-01 10:00:00')));
  assert.deepEqual(parsed("created_at = timestamp '2024-01-01 10:00:00.123456'"), compare('eq', column('created_at'), ts('2024-01-01 10:00:00.123456')));
  assert.deepEqual(parsed("created_at > TIMESTAMP '2024-01-01'"), compare('gt', column('created_at'), ts('2024-01-01 00:00:00')));
  assert.deepEqual(parsed("created_at > '2024-01-01 10:30'"), compare('gt', column('created_at'), ts('2024-01-01 10:30:00')));
  assert.deepEqual(
    parsed("day BETWEEN DATE '2024-01-01' AND DATE '2024-12-31'"),
    between(column('day'), date('2024-01-01'), date('2024-12-31')),
  );
});

test('the examples of the AWS guide parse', () => {
  for (const text of [
    "qty > 2010 and country != 'US'",
    "(qty > 2010 and country = 'US') or (level < 8 and customer_id > 23)",
    "(country between 'Z' and 'U') and (qty = 2018)",
    "(country like '%ited%') and (qty > 2000)",
    "country in ('US', 'SE', 'AL')",
    'score >= 10000',
    "device.os = 'ios'",
  ]) {
    parsed(text);
  }
});

test('bad filters are rejected with a message and the 0-based position', () => {
  const cases: [string, RegExp, number][] = [
    ["contry = 'US'", /^unknown column "contry" at position 0$/, 0],
    ['country = ', /^expected a constant after "=" at position 10$/, 10],
    ["country = AND qty = 1", /expected a constant after "="/, 10],
    ['qty IN ()', /expected a constant after "\("/, 8],
    ['qty BETWEEN 1 AND', /expected a constant after "AND"/, 17],
    ["upper(country) = 'US'", /^functions are not allowed \(upper\) at position 0$/, 0],
    ["country = lower('us')", /functions are not allowed \(lower\)/, 10],
    ['dt IS NULL', /^IS NULL is not allowed on partition column "dt" at position 3$/, 3],
    ['dt IS NOT NULL', /IS NOT NULL is not allowed on partition column "dt"/, 3],
    ['country = dt', /column-to-column comparisons are not allowed \("dt"\)/, 10],
    ['country IN (dt)', /column-to-column/, 12],
    ['qty + 1 > 5', /arithmetic is not allowed \("\+"\)/, 4],
    ['qty > 1 * 2', /arithmetic is not allowed \("\*"\)/, 8],
    ["country = 'a' || 'b'", /arithmetic is not allowed/, 14],
    ['items IS NULL', /array column "items" cannot be used in a row filter/, 0],
    ["items.sku = 'x'", /array column "items"/, 0],
    ["tags = 'x'", /map column "tags"/, 0],
    ["device = 'x'", /struct column "device" cannot be compared/, 0],
    ["device.osx = 'x'", /unknown field "osx" in "device"/, 7],
    ["country.x = 'x'", /"country" is not a struct/, 8],
    ["qty = '5'", /'5' does not fit int column "qty"/, 6],
    ['qty = 1.5', /1\.5 does not fit int column "qty"/, 6],
    ['qty = 2147483648', /out of range for int column "qty"/, 6],
    ['level = 128', /out of range for tinyint column "level"/, 8],
    ['customer_id = 9223372036854775808', /out of range for bigint column "customer_id"/, 14],
    ['customer_id = 1.0', /does not fit bigint column "customer_id"/, 14],
    ['country = 5', /5 does not fit string column "country"/, 10],
    ["day = 'abc'", /'abc' does not fit date column "day"/, 6],
    ["day = DATE '2023-02-29'", /invalid date DATE '2023-02-29'/, 6],
    ["created_at = TIMESTAMP '2024-01-01 24:00:00'", /invalid timestamp/, 13],
    ["created_at = DATE '2024-01-01'", /DATE '2024-01-01' does not fit timestamp column "created_at"/, 13],
    ["active = 'true'", /does not fit boolean column "active"/, 9],
    ["amount = 'x'", /does not fit decimal\(12,2\) column "amount"/, 9],
    ['amount = 1e3', /1e3 does not fit decimal\(12,2\) column "amount"/, 9],
    ['amount = 1234567890123456789012345678901234567890', /more than 38 digits/, 9],
    ['score = 1e999', /out of range for double column "score"/, 8],
    ['device.os = TRUE', /TRUE does not fit string column "device\.os"/, 12],
    ['', /^the row filter is empty at position 0$/, 0],
    ['   ', /the row filter is empty/, 0],
    ["country = 'US", /unterminated string/, 10],
    ['"country = 1', /unterminated quoted name/, 0],
    ['"" = 1', /empty quoted name/, 0],
    ["country = 'US'; DROP TABLE x", /unexpected character ";"/, 14],
    ["(country = 'US'", /expected "\)", found the end of the filter/, 15],
    ["country = 'US' 'x'", /expected AND, OR or the end of the filter, found a string/, 15],
    ["country = 'US' AND", /expected a column name, found the end of the filter/, 18],
    ["country NOT = 'US'", /expected BETWEEN, IN or LIKE after NOT/, 12],
    ['country = NULL', /use IS NULL/, 10],
    ["'US' = country", /found a constant \(the column must come first\)/, 0],
    ["DATE '2024-01-01' = day", /the column must come first/, 0],
    ['qty LIKE 1', /LIKE needs a string column; "qty" is int/, 4],
    ['country LIKE country', /expected a quoted pattern after LIKE/, 13],
    ["country LIKE 'a#b' ESCAPE '#'", /escape character '#' must be followed by %, _ or itself/, 13],
    ["country LIKE 'a' ESCAPE 'ab'", /expected one quoted character after ESCAPE/, 24],
    ['active', /expected an operator after "active", found the end of the filter/, 6],
    ['country = "US"', /strings take single quotes/, 10],
    ['country IS TRUE', /expected NULL or NOT NULL after IS/, 11],
    ['qty = 12abc', /malformed number "12a"/, 6],
    ['qty = 1.', /malformed number "1\."/, 6],
    ['NULL IS NULL', /expected a column name, found NULL/, 0],
    ["country = 'US' OR OR qty = 1", /expected a column name, found OR/, 18],
    ["country IN ('a' 'b')", /expected "," or "\)" in the IN list/, 16],
  ];
  for (const [text, message, position] of cases) {
    const result = failure(text);
    assert.match(result.error, message, text);
    assert.equal(result.position, position, `${text}: ${result.error}`);
    assert.ok(result.error.endsWith(` at position ${position}`), result.error);
  }
});

test('a filter that is not a string is rejected, not thrown', () => {
  const result = parseRowFilter(undefined as unknown as string, TABLE);
  assert.deepEqual(result, { ok: false, error: 'the row filter is not a string at position 0', position: 0 });
});

test('the filter must be under 2048 characters', () => {
  const filter = (length: number): string => `country = '${'x'.repeat(length - 12)}'`;
  assert.equal(filter(2047).length, 2047);
  assert.ok(parseRowFilter(filter(2047), TABLE).ok);
  const result = failure(filter(2048));
  assert.match(result.error, /the row filter has 2048 characters; it must be under 2048/);
  assert.equal(result.position, 2047);
});

test('deep nesting is an error, not a stack overflow', () => {
  const depth = 1000;
  const result = failure(`${'('.repeat(depth)}qty = 1${')'.repeat(depth)}`);
  assert.match(result.error, /nests deeper than/);
  assert.match(failure(`${'NOT '.repeat(500)}qty = 1`).error, /nests deeper than/);
});

test('formatRowFilter prints canonical text with minimal parentheses', () => {
  const expr = and([
    compare('eq', country, str("Côte d'Ivoire")),
    or([compare('gt', qty, int(5)), not(compare('eq', column('active'), bool(true)))]),
    not(between(column('day'), date('2024-01-01'), date('2024-12-31'))),
    inList(column('order-ref'), [str('a')], true),
    like(column('device', 'os'), str(String.raw`50\%`)),
    isNull(column('created_at'), true),
    not(or([compare('lt', column('amount'), dec('-1.50', 3, 2)), compare('eq', column('created_at'), ts('2024-01-01 10:00:00'))])),
  ]);
  assert.equal(
    formatRowFilter(expr),
    "country = 'Côte d''Ivoire' AND (qty > 5 OR NOT active = TRUE) AND day NOT BETWEEN DATE '2024-01-01' AND DATE '2024-12-31'" +
      ` AND "order-ref" NOT IN ('a') AND device.os LIKE '50\\%' ESCAPE '\\' AND created_at IS NOT NULL` +
      " AND NOT (amount < -1.50 OR created_at = TIMESTAMP '2024-01-01 10:00:00')",
  );
  assert.deepEqual(parsed(formatRowFilter(expr)), expr);
  assert.equal(formatRowFilter(compare('eq', column('date'), str('x'))), `"date" = 'x'`);
  assert.equal(formatRowFilter(compare('eq', column('we"ird'), str('x'))), `"we""ird" = 'x'`);
  assert.equal(formatRowFilter(compare('gt', column('score'), dbl(1e21))), 'score > 1e+21');
});

// ---- Property tests -------------------------------------------------------------------------

interface ScalarColumn {
  readonly path: ColumnPath;
  readonly type: ValueType;
  readonly bits?: number;
  readonly partitionKey?: boolean;
}

const SCALAR_COLUMNS: readonly ScalarColumn[] = [
  { path: column('country'), type: { kind: 'string' } },
  { path: column('amount'), type: { kind: 'decimal', precision: 12, scale: 2 } },
  { path: column('customer_id'), type: { kind: 'bigint' } },
  { path: column('qty'), type: { kind: 'int' }, bits: 32 },
  { path: column('level'), type: { kind: 'int' }, bits: 8 },
  { path: column('score'), type: { kind: 'double' } },
  { path: column('created_at'), type: { kind: 'timestamp' } },
  { path: column('day'), type: { kind: 'date' } },
  { path: column('active'), type: { kind: 'boolean' } },
  { path: column('device', 'os'), type: { kind: 'string' } },
  { path: column('device', 'browser'), type: { kind: 'string' } },
  { path: column('order-ref'), type: { kind: 'string' } },
  { path: column('dt'), type: { kind: 'string' }, partitionKey: true },
];

const anyString = fc.string({ unit: 'binary', maxLength: 8 });

/** Decimal text from an unscaled integer and a scale, typed by its digits. */
const decimalLiteral = fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 10 })).map(([unscaled, scale]) => {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = `${unscaled < 0n ? '-' : ''}${whole}${scale > 0 ? `.${digits.slice(-scale)}` : ''}`;
  const precision = Math.max(whole.replace(/^0+/, '').length + scale, scale + 1);
  return dec(text, precision, scale);
});

const isoInstant = fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
const fraction = fc.option(fc.stringMatching(/^\.\d{1,6}$/), { nil: '' });

function literalOf(col: ScalarColumn): fc.Arbitrary<Literal> {
  switch (col.type.kind) {
    case 'string':
      return anyString.map(str);
    case 'decimal':
      return decimalLiteral;
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => big(value.toString()));
    case 'int': {
      const half = 2 ** ((col.bits ?? 32) - 1);
      return fc.integer({ min: -half, max: half - 1 }).map(int);
    }
    case 'float':
    case 'double':
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map(dbl);
    case 'boolean':
      return fc.boolean().map(bool);
    case 'date':
      return isoInstant.map((instant) => date(instant.toISOString().slice(0, 10)));
    case 'timestamp':
      return fc.tuple(isoInstant, fraction).map(([instant, frac]) => ts(`${instant.toISOString().slice(0, 19).replace('T', ' ')}${frac}`));
  }
}

/** LIKE patterns in our convention: wildcards, escaped wildcards and backslashes, other text. */
const likePattern = fc
  .array(fc.oneof(fc.constantFrom('%', '_', '\\%', '\\_', '\\\\'), anyString.map((text) => text.replace(/\\/g, ''))), { maxLength: 5 })
  .map((pieces) => str(pieces.join('')));

function predicateOn(col: ScalarColumn): fc.Arbitrary<Expr> {
  const value = literalOf(col);
  const options: fc.Arbitrary<Expr>[] = [
    fc.tuple(fc.constantFrom<CompareOp>('eq', 'ne', 'gt', 'gte', 'lt', 'lte'), value).map(([op, lit]) => compare(op, col.path, lit)),
    fc.tuple(fc.array(value, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([values, negated]) => inList(col.path, values, negated)),
    fc.tuple(value, value).map(([low, high]) => between(col.path, low, high)),
  ];
  if (col.type.kind === 'string') options.push(fc.tuple(likePattern, fc.boolean()).map(([pattern, negated]) => like(col.path, pattern, negated)));
  if (!col.partitionKey) options.push(fc.boolean().map((negated) => isNull(col.path, negated)));
  return fc.oneof(...options);
}

const predicate = fc.constantFrom(...SCALAR_COLUMNS).chain(predicateOn);

const { tree } = fc.letrec<{ tree: Expr }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'tree' },
    predicate,
    tie('tree').map(not),
    fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map(and),
    fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map(or),
  ),
}));

/** What the parser cannot tell apart: nested AND (OR) chains, and -0 from 0. */
function normalise(expr: Expr): Expr {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const args = expr.args.map(normalise).flatMap((arg) => (arg.kind === expr.kind ? arg.args : [arg]));
      return expr.kind === 'and' ? and(args) : or(args);
    }
    case 'not':
      return not(normalise(expr.arg));
    case 'compare':
      return compare(expr.op, expr.column, normaliseLiteral(expr.value));
    case 'in':
      return inList(expr.column, expr.values.map(normaliseLiteral), expr.negated);
    case 'between':
      return between(expr.column, normaliseLiteral(expr.low), normaliseLiteral(expr.high));
    default:
      return expr;
  }
}

function normaliseLiteral(literal: Literal): Literal {
  return Object.is(literal.value, -0) ? { ...literal, value: 0 } : literal;
}

test('property: parseRowFilter(formatRowFilter(tree)) gives the tree back', () => {
  fc.assert(
    fc.property(tree, (expr) => {
      const text = formatRowFilter(expr);
      fc.pre(Array.from(text).length < 2048);
      const result = parseRowFilter(text, TABLE);
      assert.ok(result.ok, result.ok ? '' : `${text}\n${result.error}`);
      assert.deepEqual(result.expr, normalise(expr));
    }),
    { numRuns: 1000 },
  );
});

const edit = fc.tuple(
  fc.nat(),
  fc.nat({ max: 4 }),
  fc.oneof(fc.constantFrom('', '(', ')', "'", '"', ' NOT ', ' AND ', '-', '.', ',', 'x(', 'IS', 'NULL', '\\', '%'), anyString),
);

test('property: malformed input never throws and reports a position inside the text', () => {
  const check = (text: string): void => {
    const result = parseRowFilter(text, TABLE);
    if (!result.ok) {
      assert.ok(result.position >= 0 && result.position <= text.length, `${text}: ${result.position}`);
      assert.ok(result.error.endsWith(` at position ${result.position}`), result.error);
    }
  };
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), check), { numRuns: 500 });
  fc.assert(
    fc.property(tree, fc.array(edit, { minLength: 1, maxLength: 3 }), (expr, edits) => {
      let text = formatRowFilter(expr);
      for (const [at, remove, insert] of edits) {
        const pos = at % (text.length + 1);
        text = text.slice(0, pos) + insert + text.slice(pos + remove);
      }
      check(text);
    }),
    { numRuns: 1000 },
  );
});
