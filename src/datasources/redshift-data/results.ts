import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { Row, RowValue } from '../types';
import { uniqueNames } from '../shared/row-names';

/**
 * Turns GetStatementResult records (each value one member of the `Field` union) into typed rows,
 * driven by `ColumnMetadata[].typeName`, so both Redshift adapters hand on the same values:
 *
 * | Redshift type (typeName)                        | Field member          | row value                        |
 * |-------------------------------------------------|-----------------------|----------------------------------|
 * | int2, int4 (smallint, integer)                  | longValue             | number                           |
 * | int8 (bigint)                                   | longValue             | decimal string (may pass 2^53)   |
 * | numeric (decimal)                               | stringValue           | string, as given (`12.30`)       |
 * | float4, float8 (real, double precision)         | doubleValue           | number                           |
 * | bool                                            | booleanValue          | boolean                          |
 * | super                                           | stringValue (JSON)    | parsed JSON (the text if not JSON)|
 * | varbyte / bytea                                 | blobValue             | lower-case hex string            |
 * | varchar, bpchar, text, date, time, timestamp, timestamptz, ... | stringValue | string, as given           |
 *
 * `isNull: true` is null whatever the type. A member that does not fit the column's type is kept
 * loss-free rather than coerced: a longValue in an unknown column is a number while it is a safe
 * integer and a decimal string beyond.
 */

type FieldValue = Field & { longValue?: number | string | bigint };
type Reader = (field: FieldValue) => RowValue;

/** One reader per column, chosen once per result set. */
export function recordReader(columns: readonly ColumnMetadata[]): (record: readonly Field[]) => Row {
  const readers = columns.map((column) => fieldReader(column.typeName ?? ''));
  const names = columnNames(columns);
  return (record) => {
    const out: Record<string, RowValue> = {};
    names.forEach((name, index) => {
      const field = record[index] as FieldValue | undefined;
      out[name] = !field || field.isNull ? null : readers[index]!(field);
    });
    return out;
  };
}

/** Row keys: the column labels; a repeated name gets `_2`, `_3`, ... so no value is lost. */
export function columnNames(columns: readonly ColumnMetadata[]): string[] {
  return uniqueNames(columns.map((column, index) => column.label || column.name || `?column?${index}`));
}

export function fieldReader(typeName: string): Reader {
  switch (typeName.trim().toLowerCase()) {
    case 'int2':
    case 'int4':
    case 'smallint':
    case 'integer':
    case 'int':
      return (field) => (field.longValue !== undefined ? safeNumber(field.longValue) : anyValue(field));
    case 'int8':
    case 'bigint':
      return (field) => (field.longValue !== undefined ? String(field.longValue) : textOf(field));
    case 'numeric':
    case 'decimal':
      return textOf;
    case 'float4':
    case 'float8':
    case 'float':
    case 'real':
    case 'double precision':
      return (field) => (field.doubleValue !== undefined ? field.doubleValue : anyValue(field));
    case 'bool':
    case 'boolean':
      return (field) => (field.booleanValue !== undefined ? field.booleanValue : anyValue(field));
    case 'super':
      return (field) => (field.stringValue !== undefined ? parseJson(field.stringValue) : anyValue(field));
    default:
      return anyValue;
  }
}

/** A value by its Field member alone, nothing lost. */
function anyValue(field: FieldValue): RowValue {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return safeNumber(field.longValue);
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString('hex');
  return null;
}

/** The value as text (numeric, or int8 sent another way): numbers printed exactly as JavaScript holds them. */
function textOf(field: FieldValue): RowValue {
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return String(field.longValue);
  if (field.doubleValue !== undefined) return String(field.doubleValue);
  return anyValue(field);
}

function safeNumber(value: number | string | bigint): RowValue {
  if (typeof value === 'number') return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : String(value);
}

function parseJson(text: string): RowValue {
  try {
    return JSON.parse(text) as RowValue;
  } catch {
    return text;
  }
}
