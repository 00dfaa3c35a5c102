import type { Interval, TableRef, ValueKind, ValueType } from '../query/types';

/** Pieces of SQL every supported dialect writes the same way; each dialect file picks from them. */

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedTableName(ref: TableRef): string {
  return `${quoteIdentifier(ref.database)}.${quoteIdentifier(ref.table)}`;
}

export function dateTrunc(grain: string, expression: string): string {
  return `date_trunc('${grain}', ${expression})`;
}

/** A dialect's names for the lake's value types; decimals carry their precision and scale. */
export type TypeNames = Readonly<Record<Exclude<ValueKind, 'decimal'>, string>>;

export function typeName(value: ValueType, names: TypeNames): string {
  return value.kind === 'decimal' ? `DECIMAL(${value.precision},${value.scale})` : names[value.kind];
}

/**
 * `expression + INTERVAL 'n' MONTH|DAY|SECOND`, the standard interval literal every supported
 * engine reads (milliseconds as seconds with a fraction). The amount is checked and written
 * inline: interval literals take no parameter, and it never comes from a caller as text.
 */
export function shiftTime(expression: string, interval: Interval): string {
  if (!Number.isSafeInteger(interval.amount)) throw new Error(`interval amount ${interval.amount} is not an integer`);
  if (interval.unit !== 'millisecond') return `(${expression} + INTERVAL '${interval.amount}' ${interval.unit.toUpperCase()})`;
  const seconds = interval.amount % 1000 === 0 ? String(interval.amount / 1000) : (interval.amount / 1000).toFixed(3);
  return `(${expression} + INTERVAL '${seconds}' SECOND)`;
}
