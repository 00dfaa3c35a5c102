import { DuckDBTypeId, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/**
 * Results as Athena's GetQueryResults reports them, rendered from DuckDB's: ColumnInfo with
 * Athena's type names, values in Athena's text forms (`[a, b]`, `{k=v}`, `2024-01-01 10:00:00.000`,
 * Java's double format), nulls as null.
 */

export interface ColumnInfoJson {
  CatalogName: string;
  SchemaName: string;
  TableName: string;
  Name: string;
  Label: string;
  Type: string;
  Precision: number;
  Scale: number;
  Nullable: 'UNKNOWN';
  CaseSensitive: boolean;
}

/** ColumnInfo as Athena reports it: base type names only (`array`, `row`, `map`), decimals with precision/scale. */
export function columnInfo(name: string, type: DuckDBType): ColumnInfoJson {
  const athena = athenaType(type);
  return {
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: name,
    Label: name,
    Type: athena.name,
    Precision: athena.precision,
    Scale: athena.scale,
    Nullable: 'UNKNOWN',
    CaseSensitive: athena.name === 'varchar' || athena.name === 'char',
  };
}

type AthenaType = readonly [name: string, precision: number];

const VARCHAR: AthenaType = ['varchar', 2_147_483_647];

/** Athena's type name and precision per DuckDB type (scale 0); anything else reads as varchar. */
const ATHENA_TYPES: ReadonlyMap<DuckDBTypeId, AthenaType> = new Map<DuckDBTypeId, AthenaType>([
  [DuckDBTypeId.BOOLEAN, ['boolean', 0]],
  [DuckDBTypeId.TINYINT, ['tinyint', 3]], [DuckDBTypeId.UTINYINT, ['tinyint', 3]],
  [DuckDBTypeId.SMALLINT, ['smallint', 5]], [DuckDBTypeId.USMALLINT, ['smallint', 5]],
  [DuckDBTypeId.INTEGER, ['integer', 10]], [DuckDBTypeId.UINTEGER, ['integer', 10]],
  // DuckDB widens sum(bigint) to HUGEINT; Athena keeps bigint.
  ...[DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT].map((id): [DuckDBTypeId, AthenaType] => [id, ['bigint', 19]]),
  [DuckDBTypeId.FLOAT, ['real', 7]],
  [DuckDBTypeId.DOUBLE, ['double', 17]],
  [DuckDBTypeId.DATE, ['date', 0]],
  ...[DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS].map((id): [DuckDBTypeId, AthenaType] => [id, ['timestamp', 3]]),
  [DuckDBTypeId.TIMESTAMP_TZ, ['timestamp with time zone', 3]],
  [DuckDBTypeId.TIME, ['time', 3]],
  [DuckDBTypeId.LIST, ['array', 0]], [DuckDBTypeId.ARRAY, ['array', 0]],
  [DuckDBTypeId.STRUCT, ['row', 0]],
  [DuckDBTypeId.MAP, ['map', 0]],
  [DuckDBTypeId.BLOB, ['varbinary', 2_147_483_647]],
  [DuckDBTypeId.UUID, ['uuid', 0]],
  [DuckDBTypeId.INTERVAL, ['interval day to second', 0]],
]);

function athenaType(type: DuckDBType): { name: string; precision: number; scale: number } {
  if (type.typeId === DuckDBTypeId.DECIMAL) return { name: 'decimal', precision: type.width, scale: type.scale };
  const [name, precision] = ATHENA_TYPES.get(type.typeId) ?? VARCHAR;
  return { name, precision, scale: 0 };
}

/** A value in Athena's text form; null stays null (sent as a Datum without VarCharValue). */
export function renderValue(value: DuckDBValue, type: DuckDBType): string | null {
  if (value === null) return null;
  return renderText(value, type);
}

function renderText(value: DuckDBValue, type: DuckDBType): string {
  if (value === null) return 'null';
  switch (type.typeId) {
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return javaDouble(value as number);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return millisecondTimestamp(String(value));
    case DuckDBTypeId.TIMESTAMP_TZ:
      return `${millisecondTimestamp(String(value).replace(/[+-]\d{2}(?::?\d{2})?$/, ''))} UTC`;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const items = (value as { items: readonly DuckDBValue[] }).items;
      return `[${items.map((item) => renderText(item, type.valueType)).join(', ')}]`;
    }
    case DuckDBTypeId.STRUCT: {
      const entries = (value as { entries: Readonly<Record<string, DuckDBValue>> }).entries;
      return `{${type.entryNames.map((name, index) => `${name}=${renderText(entries[name] ?? null, type.entryTypes[index]!)}`).join(', ')}}`;
    }
    case DuckDBTypeId.MAP: {
      const entries = (value as { entries: readonly { key: DuckDBValue; value: DuckDBValue }[] }).entries;
      return `{${entries.map((entry) => `${renderText(entry.key, type.keyType)}=${renderText(entry.value, type.valueType)}`).join(', ')}}`;
    }
    case DuckDBTypeId.BLOB: {
      const bytes = (value as { bytes: Uint8Array }).bytes;
      return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
    }
    default:
      return String(value);
  }
}

/** Trino prints doubles the Java way: `100.0`, `1.5`, `1.0E10`, `1.234E-5`. */
function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const magnitude = Math.abs(value);
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    const text = String(value);
    return text.includes('.') || text.includes('e') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` → `YYYY-MM-DD HH:MM:SS.fff` (Athena's millisecond timestamps). */
function millisecondTimestamp(text: string): string {
  const match = /^(\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  return `${match[1]}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}`;
}
