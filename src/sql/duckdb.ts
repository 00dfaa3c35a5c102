import type { ValueType } from '../query/types';
import { dateTrunc, qualifiedTableName, quoteIdentifier, typeName, type TypeNames } from './standard';
import type { BoundParam, Dialect } from './types';

const DUCKDB_TYPES: TypeNames = {
  string: 'VARCHAR', boolean: 'BOOLEAN', int: 'INTEGER', bigint: 'BIGINT', float: 'FLOAT', double: 'DOUBLE', date: 'DATE', timestamp: 'TIMESTAMP',
};

/** DuckDB: `?` placeholders, typed with a CAST where the bound JS value would lose the type. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  quoteIdentifier,
  tableName: qualifiedTableName,
  placeholder: (_index, param) => castPlaceholder(param),
  structField: (base, field) => `struct_extract(${base}, '${field.replace(/'/g, "''")}')`,
  doubleType: DUCKDB_TYPES.double,
  exactIntegerSumType: 'HUGEINT',
  timeTrunc: dateTrunc,
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
  return typeName(value, DUCKDB_TYPES);
}
