import type { TableRef, ValueKind, ValueType } from '../query/types';

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
