import { randomUUID } from 'node:crypto';
import type { FieldDef } from 'pg';

/**
 * PostgreSQL results in the Data API's shapes: `ColumnMetadata` from the wire's field
 * descriptions, each value one member of the `Field` union, as Redshift sends them — integers as
 * `longValue` (JSON numbers, exact even beyond 2^53), floats as `doubleValue`, booleans as
 * `booleanValue`, numeric and everything textual as `stringValue`, bytea as base64 `blobValue`,
 * null as `isNull: true`. Values arrive here as PostgreSQL's text (every type parser is the
 * identity), so nothing is reparsed on the way.
 *
 * Type names are Redshift's: PostgreSQL `text` reports as `varchar` (Redshift turns TEXT columns
 * into VARCHAR(256)) and json/jsonb as `super`, the Redshift type they stand in for here.
 */

export interface ColumnMetadataJson {
  name: string;
  label: string;
  typeName: string;
  precision: number;
  scale: number;
  length: number;
  nullable: number;
  isSigned: boolean;
  isCaseSensitive: boolean;
  isCurrency: boolean;
  schemaName: string;
  tableName: string;
}

export type FieldJson =
  | { isNull: true }
  | { booleanValue: boolean }
  | { longValue: bigint }
  | { doubleValue: number | string }
  | { stringValue: string }
  | { blobValue: string };

const TYPE_NAMES: Readonly<Record<number, string>> = {
  16: 'bool', 17: 'varbyte', 18: 'char', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 25: 'varchar', 26: 'oid',
  114: 'super', 3802: 'super', 700: 'float4', 701: 'float8', 705: 'varchar', 1042: 'bpchar', 1043: 'varchar',
  1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1186: 'interval', 1266: 'timetz', 1700: 'numeric',
};
const INTEGERS = new Set([20, 21, 23, 26]);
const FLOATS = new Set([700, 701]);
const SIGNED = new Set([20, 21, 23, 700, 701, 1700]);
const CHARACTER = new Set([18, 19, 25, 705, 1042, 1043, 114, 3802]);

export function columnMetadata(fields: readonly FieldDef[], typeNameOf: (oid: number) => string | undefined): ColumnMetadataJson[] {
  return fields.map((field) => {
    const modifier = field.dataTypeModifier;
    const numeric = field.dataTypeID === 1700 && modifier >= 4;
    const sized = CHARACTER.has(field.dataTypeID) && modifier >= 4;
    return {
      name: field.name,
      label: field.name,
      typeName: TYPE_NAMES[field.dataTypeID] ?? typeNameOf(field.dataTypeID) ?? 'varchar',
      precision: numeric ? ((modifier - 4) >> 16) & 0xffff : sized ? modifier - 4 : 0,
      scale: numeric ? (modifier - 4) & 0xffff : 0,
      length: sized ? modifier - 4 : 0,
      nullable: 1,
      isSigned: SIGNED.has(field.dataTypeID),
      isCaseSensitive: CHARACTER.has(field.dataTypeID),
      isCurrency: false,
      schemaName: '',
      tableName: '',
    };
  });
}

/** True for the OIDs this module knows by heart (others are looked up in pg_type). */
export function knownType(oid: number): boolean {
  return oid in TYPE_NAMES;
}

export function fieldOf(text: string | null, oid: number): FieldJson {
  if (text === null) return { isNull: true };
  if (oid === 16) return { booleanValue: text === 't' || text === 'true' };
  if (INTEGERS.has(oid)) return { longValue: BigInt(text) };
  if (FLOATS.has(oid)) {
    const value = Number(text);
    // AWS JSON sends non-finite doubles as the strings "NaN", "Infinity", "-Infinity".
    return { doubleValue: Number.isFinite(value) ? value : text === 'NaN' ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  }
  if (oid === 17) return { blobValue: Buffer.from(text.startsWith('\\x') ? text.slice(2) : '', 'hex').toString('base64') };
  return { stringValue: text };
}

const BIGINT_MARK = `\u0001bigint-${randomUUID()}:`;
const BIGINT_TEXT = new RegExp(`"${JSON.stringify(BIGINT_MARK).slice(1, -1).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(-?\\d+)"`, 'g');

/** JSON.stringify that writes bigints as exact JSON numbers, the way the Data API writes longValue. */
export function toJson(payload: unknown): string {
  const text = JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'bigint' ? `${BIGINT_MARK}${value}` : value));
  return text.replace(BIGINT_TEXT, '$1');
}
