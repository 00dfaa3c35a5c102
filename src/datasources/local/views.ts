import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GlueTable } from '../../catalog/types';
import { duckdbType } from './duckdb-types';

/**
 * Builds the DDL that exposes a Glue table as a DuckDB view over the local lake folder.
 * File paths come from the operator's catalog, never from a request.
 */
export interface LakeLayout {
  readonly lakePath: string;
  readonly s3Prefix: string;
}

export function localFolder(table: GlueTable, layout: LakeLayout): string | null {
  if (!table.location.startsWith(layout.s3Prefix)) return null;
  return path.resolve(layout.lakePath, table.location.slice(layout.s3Prefix.length));
}

export function createViewSql(table: GlueTable, folder: string): string {
  const name = `${ident(table.database)}.${ident(table.name)}`;
  const partitionKeys = table.columns.filter((col) => col.partitionKey);
  const columns = table.columns.map((col) => ident(col.name)).join(', ');
  if (!hasDataFiles(folder)) {
    const typedNulls = table.columns.map((col) => `CAST(NULL AS ${duckdbType(col.type)}) AS ${ident(col.name)}`).join(', ');
    return `CREATE OR REPLACE VIEW ${name} AS SELECT ${typedNulls} WHERE false`;
  }
  const hive = partitionKeys.length > 0
    ? `hive_partitioning = true, hive_types = {${partitionKeys.map((col) => `${literal(col.name)}: ${literal(duckdbType(col.type))}`).join(', ')}}`
    : 'hive_partitioning = false';
  const reader = table.format === 'parquet'
    ? `read_parquet(${literal(path.join(folder, '**', '*.parquet'))}, ${hive})`
    : table.format === 'json'
      ? `read_json(${literal(path.join(folder, '**', '*.json'))}, format = 'newline_delimited', ${hive}, columns = {${jsonColumns(table)}})`
      : `read_csv(${literal(path.join(folder, '**', '*.csv'))}, header = true, ${hive}, columns = {${jsonColumns(table)}})`;
  return `CREATE OR REPLACE VIEW ${name} AS SELECT ${columns} FROM ${reader}`;
}

function jsonColumns(table: GlueTable): string {
  return table.columns
    .filter((col) => !col.partitionKey)
    .map((col) => `${literal(col.name)}: ${literal(duckdbType(col.type))}`)
    .join(', ');
}

function hasDataFiles(folder: string): boolean {
  if (!existsSync(folder)) return false;
  return readdirSync(folder).some((entry) => {
    const full = path.join(folder, entry);
    return statSync(full).isDirectory() ? hasDataFiles(full) : /\.(parquet|json|csv)$/.test(entry);
  });
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
