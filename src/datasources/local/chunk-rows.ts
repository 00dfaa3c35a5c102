import { JsonDuckDBValueConverter, type DuckDBDataChunk } from '@duckdb/node-api';
import type { Row } from '../types';

/**
 * One data chunk's rows keyed by the result's (deduplicated) column names, each value converted
 * by DuckDB's JSON converter — what `getRowObjectsJson()` gives `execute` for a whole result, one
 * chunk at a time.
 */
export function chunkRows(chunk: DuckDBDataChunk, names: readonly string[]): Row[] {
  const rows: Row[] = [];
  for (let index = 0; index < chunk.rowCount; index += 1) {
    const row: Record<string, unknown> = {};
    chunk.visitRowValues(index, (value, _row, column, type) => {
      row[names[column]!] = JsonDuckDBValueConverter(value, type, JsonDuckDBValueConverter);
    });
    rows.push(row as Row);
  }
  return rows;
}
