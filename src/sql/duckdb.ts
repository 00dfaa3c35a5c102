import type { ValueType } from '../query/types';
import type { BoundParam, Dialect } from './types';

/** DuckDB: `?` placeholders, typed with a CAST where the bound JS value would lose the type. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  quoteIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
  tableName: (ref) => `"${ref.database.replace(/"/g, '""')}"."${ref.table.replace(/"/g, '""')}"`,
  placeholder: (_index, param) => castPlaceholder(param),
  structField: (base, field) => `struct_extract(${base}, '${field.replace(/'/g, "''")}')`,
  doubleType: 'DOUBLE',
  timeTrunc: (grain, expression) => `date_trunc('${grain}', ${expression})`,
};

function castPlaceholder(param: BoundParam): string {
  const type = sqlType(param.type);
  return type ? `CAST(? AS ${type})` : '?';
}

/** Strings and booleans bind as themselves; every other value is cast to its exact DuckDB type. */
function sqlType(type: ValueType): string | null {
  return type.kind === 'string' || type.kind === 'boolean' ? null : duckdbScalarType(type);
}

/** The DuckDB type name of a lake value type. */
export function duckdbScalarType(value: ValueType): string {
  switch (value.kind) {
    case 'string':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'int':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${value.precision},${value.scale})`;
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
  }
}
