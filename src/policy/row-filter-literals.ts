import type { Literal, ValueType } from '../query/types';
import type { ResolvedColumn } from './row-filter-columns';
import { RowFilterError } from './row-filter-lexer';

/**
 * A constant as written in a row filter, before it meets its column. Numbers keep their text
 * (with a leading `-` when negative) so bigint and decimal values are never rounded.
 */
export interface RawConstant {
  readonly kind: 'string' | 'number' | 'boolean' | 'date' | 'timestamp';
  readonly text: string;
  readonly start: number;
}

const INTEGER = /^-?\d+$/;
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?$/;
const MAX_DECIMAL_PRECISION = 38;

/** Bits of the Hive integer types that all become our `int`. */
const INT_BITS: Readonly<Record<string, number>> = { tinyint: 8, smallint: 16, int: 32, integer: 32 };

type Typer = (raw: RawConstant, col: ResolvedColumn) => Literal | null;

/** Per column kind: the literal, or null when the constant does not fit the column at all. */
const TYPERS: { readonly [K in ValueType['kind']]: Typer } = {
  string: (raw, col) => (raw.kind === 'string' ? { value: raw.text, type: col.type } : null),
  boolean: (raw, col) => (raw.kind === 'boolean' ? { value: raw.text.toUpperCase() === 'TRUE', type: col.type } : null),
  int: (raw, col) => (raw.kind === 'number' && INTEGER.test(raw.text) ? intLiteral(raw, col) : null),
  bigint: (raw, col) => (raw.kind === 'number' && INTEGER.test(raw.text) ? bigintLiteral(raw, col) : null),
  float: (raw, col) => (raw.kind === 'number' ? floatLiteral(raw, col) : null),
  double: (raw, col) => (raw.kind === 'number' ? floatLiteral(raw, col) : null),
  decimal: (raw) => (raw.kind === 'number' && PLAIN_DECIMAL.test(raw.text) ? decimalLiteral(raw) : null),
  date: (raw, col) => ((raw.kind === 'date' || raw.kind === 'string') && isDate(raw.text) ? { value: raw.text, type: col.type } : null),
  timestamp: (raw, col) => {
    const value = raw.kind === 'timestamp' || raw.kind === 'string' ? normaliseTimestamp(raw.text) : null;
    return value === null ? null : { value, type: col.type };
  },
};

/**
 * Types a constant by its column. A constant of the wrong kind (a string for an int column,
 * 1.5 for an int column, 'abc' for a date column) is an error naming the column.
 */
export function typeConstant(raw: RawConstant, col: ResolvedColumn): Literal {
  if (raw.kind === 'date' && !isDate(raw.text)) throw new RowFilterError(`invalid date ${describeConstant(raw)}`, raw.start);
  if (raw.kind === 'timestamp' && normaliseTimestamp(raw.text) === null) {
    throw new RowFilterError(`invalid timestamp ${describeConstant(raw)}`, raw.start);
  }
  const literal = TYPERS[col.type.kind](raw, col);
  if (!literal) throw new RowFilterError(`${describeConstant(raw)} does not fit ${col.typeText} column "${col.label}"`, raw.start);
  return literal;
}

function intLiteral(raw: RawConstant, col: ResolvedColumn): Literal {
  const bits = INT_BITS[col.typeText] ?? 32;
  const value = Number(raw.text);
  if (value < -(2 ** (bits - 1)) || value >= 2 ** (bits - 1)) outOfRange(raw, col);
  return { value: value === 0 ? 0 : value, type: col.type };
}

function bigintLiteral(raw: RawConstant, col: ResolvedColumn): Literal {
  const value = BigInt(raw.text);
  if (value < -(2n ** 63n) || value >= 2n ** 63n) outOfRange(raw, col);
  return { value: value.toString(), type: col.type };
}

function floatLiteral(raw: RawConstant, col: ResolvedColumn): Literal {
  const value = Number(raw.text);
  if (!Number.isFinite(value)) outOfRange(raw, col);
  return { value: value === 0 ? 0 : value, type: col.type };
}

/** The literal's own text, typed by its own digits (as the planner types a caller's decimal). */
function decimalLiteral(raw: RawConstant): Literal {
  const [whole = '0', fraction = ''] = raw.text.replace('-', '').split('.');
  const scale = fraction.length;
  const precision = Math.max(whole.replace(/^0+/, '').length + scale, scale + 1);
  if (precision > MAX_DECIMAL_PRECISION) {
    throw new RowFilterError(`${raw.text} has more than ${MAX_DECIMAL_PRECISION} digits`, raw.start);
  }
  return { value: raw.text, type: { kind: 'decimal', precision, scale } };
}

function outOfRange(raw: RawConstant, col: ResolvedColumn): never {
  throw new RowFilterError(`${raw.text} is out of range for ${col.typeText} column "${col.label}"`, raw.start);
}

function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DD[ HH:MM[:SS[.f{1,6}]]]` → `YYYY-MM-DD HH:MM:SS[.f]`, or null when invalid. */
function normaliseTimestamp(text: string): string | null {
  const match = TIMESTAMP.exec(text);
  if (!match || !isDate(match[1]!)) return null;
  const [, date, hour = '00', minute = '00', second = '00', fraction = ''] = match;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  return `${date} ${hour}:${minute}:${second}${fraction}`;
}

/** A constant as the filter wrote it, for messages; long strings are shortened. */
export function describeConstant(raw: RawConstant): string {
  const quoted = (text: string): string => `'${(text.length > 40 ? `${text.slice(0, 40)}...` : text).replace(/'/g, "''")}'`;
  switch (raw.kind) {
    case 'string':
      return quoted(raw.text);
    case 'date':
      return `DATE ${quoted(raw.text)}`;
    case 'timestamp':
      return `TIMESTAMP ${quoted(raw.text)}`;
    case 'boolean':
      return raw.text.toUpperCase();
    case 'number':
      return raw.text;
  }
}

const WILDCARDS = new Set(['%', '_']);

/**
 * Rewrites a PartiQL LIKE pattern into our convention (`%`, `_`, backslash escapes). Without
 * ESCAPE, PartiQL has no escape character, so a backslash is literal and is doubled here. With
 * `ESCAPE 'c'`, `c` may only precede `%`, `_` or itself, and makes that character literal.
 */
export function translateLikePattern(pattern: string, escape: string | null, start: number): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    let char = pattern[i]!;
    let literal = false;
    if (char === escape) {
      const next = pattern[i + 1];
      if (next === undefined || !(WILDCARDS.has(next) || next === escape)) {
        throw new RowFilterError(`escape character '${escape}' must be followed by %, _ or itself in the LIKE pattern`, start);
      }
      char = next;
      literal = true;
      i += 1;
    }
    out += char === '\\' || (literal && WILDCARDS.has(char)) ? `\\${char}` : char;
  }
  return out;
}
