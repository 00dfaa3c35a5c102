import { duckdbDialect } from './duckdb';
import type { Dialect } from './types';

const DIALECTS: Readonly<Record<string, Dialect>> = { duckdb: duckdbDialect };

export function dialectNamed(name: string): Dialect {
  const dialect = DIALECTS[name];
  if (!dialect) throw new Error(`no SQL dialect "${name}"`);
  return dialect;
}
