import type { LiteralValue, ValueType } from '../query/types';
import type { BoundParam } from './types';

/**
 * Parameter values as text, for engines whose API carries parameters as strings: Athena's
 * `ExecutionParameters` (each one a SQL literal) and the Redshift Data API (plain text, typed by
 * a CAST in the SQL). Each value is checked against its type first, so what leaves here is one
 * well-formed value of that type and nothing else; a value that does not fit throws.
 *
 * Strings may hold any character except U+0000 and unpaired UTF-16 surrogates: no engine
 * stores NUL in a varchar (PostgreSQL/Redshift reject it, C-string parsers cut at it) and
 * UTF-8 cannot carry a lone surrogate, so either would be silently changed on the way. Other
 * control characters (newline, tab, ESC, ...) are legal inside a quoted literal and round-trip.
 */

/** Athena: each `ExecutionParameters` item is 1 to 1024 characters (StartQueryExecution API reference). */
export const ATHENA_PARAMETER_MAX_LENGTH = 1024;

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+)(?:\.(\d+))?$/;
const FLOAT = /^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO-8601 or SQL form, in UTC: no offset, `Z`, or a zero offset. */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:Z|[+-]00:?00)?$/i;
const INT_RANGE: readonly [bigint, bigint] = [-(2n ** 31n), 2n ** 31n - 1n];
const BIGINT_RANGE: readonly [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One Athena execution parameter: a Trino literal typed like the parameter (`DECIMAL '12.34'`). */
export function athenaExecutionParameter(param: BoundParam): string {
  const literal = athenaLiteral(param);
  if (literal.length > ATHENA_PARAMETER_MAX_LENGTH) {
    throw new Error(`an Athena execution parameter has at most ${ATHENA_PARAMETER_MAX_LENGTH} characters; this ${param.type.kind} literal has ${literal.length}`);
  }
  return literal;
}

/** `ExecutionParameters` for a query, or undefined when it has none (the API takes no empty list). */
export function athenaExecutionParameters(params: readonly BoundParam[]): string[] | undefined {
  return params.length === 0 ? undefined : params.map(athenaExecutionParameter);
}

function athenaLiteral(param: BoundParam): string {
  const text = parameterText(param);
  switch (param.type.kind) {
    case 'string':
      return `'${text.replace(/'/g, "''")}'`;
    case 'boolean':
      return text;
    case 'int':
      return `INTEGER '${text}'`;
    case 'bigint':
      return `BIGINT '${text}'`;
    case 'float':
      return `REAL '${text}'`;
    case 'double':
      return `DOUBLE '${text}'`;
    case 'decimal':
      return `DECIMAL '${text}'`;
    case 'date':
      return `DATE '${text}'`;
    case 'timestamp':
      return `TIMESTAMP '${text}'`;
  }
}

/** The canonical text of a parameter value, checked against its type. */
export function parameterText({ value, type }: BoundParam): string {
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string' || value.includes('\u0000') || LONE_SURROGATE.test(value)) throw unfit(value, type);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw unfit(value, type);
      return String(value);
    case 'int':
      return integerText(value, type, INT_RANGE);
    case 'bigint':
      return integerText(value, type, BIGINT_RANGE);
    case 'float':
    case 'double':
      return floatText(value, type);
    case 'decimal':
      return decimalText(value, type);
    case 'date':
      if (typeof value !== 'string' || !isDate(value)) throw unfit(value, type);
      return value;
    case 'timestamp':
      return timestampText(value, type);
  }
}

function integerText(value: LiteralValue, type: ValueType, [min, max]: readonly [bigint, bigint]): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !INTEGER.test(text) || BigInt(text) < min || BigInt(text) > max) throw unfit(value, type);
  return String(BigInt(text));
}

function floatText(value: LiteralValue, type: ValueType): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && FLOAT.test(value)) return value;
  throw unfit(value, type);
}

/** A plain decimal that fits the declared precision and scale, so no engine rounds it. */
function decimalText(value: LiteralValue, type: Extract<ValueType, { kind: 'decimal' }>): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (!match) throw unfit(value, type);
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const fraction = match[2] ?? '';
  const wholeDigits = whole === '0' ? 0 : whole.length;
  if (fraction.length > type.scale || wholeDigits > type.precision - type.scale) throw unfit(value, type);
  return text as string;
}

/** `YYYY-MM-DD HH:MM:SS.fff[ffffff]`: UTC wall-clock time, at least millisecond digits. */
function timestampText(value: LiteralValue, type: ValueType): string {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value.trim()) : null;
  if (!match || !isDate(match[1]!)) throw unfit(value, type);
  const [, date, hour = '00', minute = '00', second = '00', fraction = ''] = match;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) throw unfit(value, type);
  return `${date} ${hour}:${minute}:${second}.${fraction.padEnd(3, '0')}`;
}

function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

function unfit(value: LiteralValue, type: ValueType): Error {
  const shown = typeof value === 'string' && value.length > 40 ? `${value.slice(0, 40)}...` : String(value);
  const typeName = type.kind === 'decimal' ? `decimal(${type.precision},${type.scale})` : type.kind;
  return new Error(`parameter value ${JSON.stringify(shown)} is not a valid ${typeName}`);
}
