import type { HiveType } from '../../catalog/types';
import { duckdbScalarType } from '../../sql/duckdb';

/** The DuckDB type a Glue/Hive column is read as, so the embedded engine is type-faithful. */
export function duckdbType(type: HiveType): string {
  switch (type.kind) {
    case 'scalar':
      return duckdbScalarType(type.value);
    case 'struct':
      return `STRUCT(${type.fields.map((field) => `"${field.name.replace(/"/g, '""')}" ${duckdbType(field.type)}`).join(', ')})`;
    case 'array':
      return `${duckdbType(type.element)}[]`;
    case 'map':
      return `MAP(${duckdbType(type.key)}, ${duckdbType(type.value)})`;
  }
}
