import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * Scalars for lake values. BigInt and Decimal travel as strings so no digit is lost on the way
 * to a JavaScript client; DateTime is ISO-8601 in UTC (microseconds kept); Date is `YYYY-MM-DD`.
 */

const INTEGER = /^-?\d+$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([-+]?\d+))?$/i;
/** Further than this, an exponent cannot leave a decimal within 38 digits: refused before expanding it. */
const MAX_DECIMAL_EXPONENT = 80;
const MAX_INPUT_FRACTION_DIGITS = 6;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function invalid(scalar: string, value: unknown): GraphQLError {
  return new GraphQLError(`${scalar} cannot represent ${JSON.stringify(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function literalText(ast: ValueNode): unknown {
  return ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? ast.value : undefined;
}

function integerText(value: unknown): string | null {
  const text = typeof value === 'bigint' ? value.toString() : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && INTEGER.test(text) ? BigInt(text).toString() : null;
}

/** Inputs are 64-bit, as the columns they are compared with. */
function parseBigInt(value: unknown): string {
  const text = integerText(value);
  if (text === null || text.replace('-', '').length > 19) throw invalid('BigInt', value);
  const big = BigInt(text);
  if (big > 9223372036854775807n || big < -9223372036854775808n) throw invalid('BigInt', value);
  return text;
}

/** Outputs may be wider: a sum of an integer column is exact at any size. */
function serializeBigInt(value: unknown): string {
  const text = integerText(value);
  if (text === null) throw invalid('BigInt', value);
  return text;
}

export const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'An integer, as a string so no digit is lost (`"9007199254740993"`). Column values and inputs are 64-bit; the sum of an integer column is exact at any size, so it may be wider. Inputs accept a string or an integer.',
  serialize: serializeBigInt,
  parseValue: parseBigInt,
  parseLiteral: (ast) => parseBigInt(literalText(ast)),
});

/** An input decimal in plain notation, exactly: `1e3` → `1000`, `"1.5e-2"` → `0.015`; at most 38 digits. */
function parseDecimal(value: unknown): string {
  const plain = plainDecimal(value);
  if (plain.replace(/[-.]/g, '').length > 38) throw invalid('Decimal', value);
  return plain;
}

function plainDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (!match) throw invalid('Decimal', value);
  const [, sign = '', whole = '', fraction = '', exponent] = match;
  if (exponent !== undefined && Math.abs(Number(exponent)) > MAX_DECIMAL_EXPONENT) throw invalid('Decimal', value);
  return exponent === undefined ? (text as string) : shiftPoint(sign, whole, fraction, Number(exponent));
}

/** `digits × 10^exponent` written plainly, keeping the mantissa's own digits (`2.50e1` → `25.0`). */
function shiftPoint(sign: string, whole: string, fraction: string, exponent: number): string {
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const padded = point <= 0 ? '0'.repeat(1 - point) + digits : point > digits.length ? digits + '0'.repeat(point - digits.length) : digits;
  const at = Math.max(point, 1);
  const integer = padded.slice(0, at).replace(/^0+(?=\d)/, '');
  const rest = padded.slice(at);
  return `${sign}${integer}${rest ? `.${rest}` : ''}`;
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number, as a string (`"1234.50"`). Inputs accept a string or a number literal, in plain or exponent notation (`1e3`, `"1.5e2"`), exactly, up to 38 digits; a sum may be wider.',
  // An engine's exact answer is never refused (a sum over a wide decimal may pass 38 digits where the engine allows it).
  serialize: plainDecimal,
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(literalText(ast)),
});

/** Normalises an engine or client timestamp to `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`. */
export function normalizeTimestamp(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  const match = typeof value === 'string' ? TIMESTAMP.exec(value.trim()) : null;
  if (!match) throw invalid('DateTime', value);
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = match;
  const millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(millis);
  if (check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw invalid('DateTime', value);
  const offsetMinutes = zone.toUpperCase() === 'Z' ? 0 : parseOffset(zone);
  const utc = new Date(millis - offsetMinutes * 60_000).toISOString().slice(0, 19);
  const digits = fraction.slice(0, 6).replace(/0+$/, '');
  return `${utc}${digits ? `.${digits.padEnd(3, '0')}` : ''}Z`;
}

function parseOffset(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** An input instant: never more precise than the lake's microseconds, so never silently truncated. */
function parseDateTime(value: unknown): string {
  const fraction = typeof value === 'string' ? TIMESTAMP.exec(value.trim())?.[7] : undefined;
  if (fraction !== undefined && fraction.length > MAX_INPUT_FRACTION_DIGITS) {
    throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}: at most ${MAX_INPUT_FRACTION_DIGITS} fractional digits (microseconds)`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return normalizeTimestamp(value);
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant as ISO-8601 in UTC (`2024-01-31T12:00:00.123Z`). Inputs may carry an offset or none (UTC); a date alone is midnight UTC, seconds may be left out, and at most six fractional digits are taken.',
  serialize: normalizeTimestamp,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDate(value: unknown): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  const match = typeof text === 'string' ? DATE.exec(text) : null;
  if (!match) throw invalid('Date', value);
  const check = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (check.getUTCMonth() !== Number(match[2]) - 1 || check.getUTCDate() !== Number(match[3])) throw invalid('Date', value);
  return text as string;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, `YYYY-MM-DD`.',
  serialize: (value) => parseDate(typeof value === 'string' ? value.slice(0, 10) : value),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});
