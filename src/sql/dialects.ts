import { duckdbDialect } from './duckdb';
import { redshiftDataDialect, redshiftPgDialect } from './redshift';
import { athenaDialect } from './trino';
import type { Dialect } from './types';

const DIALECTS: Readonly<Record<string, Dialect>> = Object.fromEntries(
  [duckdbDialect, athenaDialect, redshiftDataDialect, redshiftPgDialect].map((dialect) => [dialect.name, dialect]),
);

export function dialectNamed(name: string): Dialect {
  const dialect = Object.hasOwn(DIALECTS, name) ? DIALECTS[name] : undefined;
  if (!dialect) throw new Error(`no SQL dialect "${name}"`);
  return dialect;
}
