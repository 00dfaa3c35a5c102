import { duckdbDialect } from './duckdb';
import { redshiftDataDialect, redshiftPgDialect } from './redshift';
import { athenaDialect } from './trino';
import type { Dialect } from './types';
import type { TableRef } from '../query/types';

const DIALECTS: Readonly<Record<string, Dialect>> = Object.fromEntries(
  [duckdbDialect, athenaDialect, redshiftDataDialect, redshiftPgDialect].map((dialect) => [dialect.name, dialect]),
);

export function dialectNamed(name: string): Dialect {
  const dialect = Object.hasOwn(DIALECTS, name) ? DIALECTS[name] : undefined;
  if (!dialect) throw new Error(`no SQL dialect "${name}"`);
  return dialect;
}

/**
 * The dialect reading each Glue database from the schema `schemas` names for it (a Redshift
 * external or local schema need not be named like the Glue database); unnamed ones stay as they are.
 */
export function withSchemas(dialect: Dialect, schemas: Readonly<Record<string, string>>): Dialect {
  if (Object.keys(schemas).length === 0) return dialect;
  const schemaOf = (ref: TableRef): string => (Object.hasOwn(schemas, ref.database) ? schemas[ref.database]! : ref.database);
  return { ...dialect, tableName: (ref) => dialect.tableName({ ...ref, database: schemaOf(ref) }) };
}
