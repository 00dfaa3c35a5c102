import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * Scalars for lake values. BigInt and Decimal travel as strings so no digit is lost on the way
 * to a JavaScript client; DateTime is ISO-8601 in UTC (microseconds kept); Date is `YYYY-MM-DD`.
 */

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function invalid(scalar: string, value: unknown): GraphQLError {
  return new GraphQLError(`${scalar} cannot represent ${JSON.stringify(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function literalText(ast: ValueNode): unknown {
  return ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? ast.value : undefined;
}

function parseBigInt(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !INTEGER.test(text) || text.replace('-', '').length > 19) throw invalid('BigInt', value);
  const big = BigInt(text);
  if (big > 9223372036854775807n || big < -9223372036854775808n) throw invalid('BigInt', value);
  return big.toString();
}

export const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'A 64-bit integer, as a string so no digit is lost (`"9007199254740993"`). Inputs accept a string or an integer.',
  serialize: (value) => (typeof value === 'bigint' ? value.toString() : parseBigInt(value)),
  parseValue: parseBigInt,
  parseLiteral: (ast) => parseBigInt(literalText(ast)),
});

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text) || text.replace(/[-.]/g, '').length > 38) throw invalid('Decimal', value);
  return text;
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number, as a string (`"1234.50"`). Inputs accept a string or a number literal.',
  serialize: parseDecimal,
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

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant as ISO-8601 in UTC (`2024-01-31T12:00:00.123Z`). Inputs may carry an offset or none (UTC).',
  serialize: normalizeTimestamp,
  parseValue: normalizeTimestamp,
  parseLiteral: (ast) => normalizeTimestamp(ast.kind === Kind.STRING ? ast.value : undefined),
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
