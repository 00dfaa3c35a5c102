import { parseHiveType } from '../catalog/hive-type';
import { duckdbType } from '../datasources/local/duckdb-types';
import { ident } from './sql';
import { PARTITION_KEY, type SampleTable } from './tables';

/**
 * Wraps a generator SELECT so its output has exactly the table's columns, in catalog order,
 * cast to the DuckDB type the local engine reads the Glue type as. Parquet keeps these types
 * physically, and the Glue definition is what fixes them, so files and catalog cannot disagree.
 */
export function projectTableSql(table: SampleTable, selectSql: string, withPartition: boolean): string {
  const columns = table.columns.map((column) => `CAST(${ident(column.name)} AS ${duckdbTypeOf(column.type)}) AS ${ident(column.name)}`);
  if (withPartition && table.partitioned) columns.push(ident(PARTITION_KEY.name));
  return `SELECT ${columns.join(', ')} FROM (${selectSql})`;
}

export function duckdbTypeOf(hiveType: string): string {
  const parsed = parseHiveType(hiveType);
  if (!parsed.ok) throw new Error(`sample table type "${hiveType}" does not parse: ${parsed.error}`);
  return duckdbType(parsed.type);
}
