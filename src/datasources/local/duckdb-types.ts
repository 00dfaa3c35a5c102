import type { HiveType } from '../../catalog/types';
import type { ValueType } from '../../query/types';

/** The DuckDB type a Glue/Hive column is read as, so the embedded engine is type-faithful. */
export function duckdbType(type: HiveType): string {
  switch (type.kind) {
    case 'scalar':
      return scalarType(type.value);
    case 'struct':
      return `STRUCT(${type.fields.map((field) => `"${field.name.replace(/"/g, '""')}" ${duckdbType(field.type)}`).join(', ')})`;
    case 'array':
      return `${duckdbType(type.element)}[]`;
    case 'map':
      return `MAP(${duckdbType(type.key)}, ${duckdbType(type.value)})`;
  }
}

function scalarType(value: ValueType): string {
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
