import { stringify } from 'csv-stringify/sync';
import type { Row } from '../../datasources/types';
import type { ExportColumn } from './columns';
import type { ExportFormat } from './request';

/** How one format writes an export: its media type, its head, a batch of rows, and its last words. */
export interface ExportEncoder {
  readonly contentType: string;
  readonly extension: string;
  head(): string;
  batch(rows: readonly Row[]): string;
  /** What follows the last row of a complete export (NDJSON's `@complete` line). */
  complete(rows: number): string;
  /** What follows the last row written when the export failed after its head (NDJSON's `@error` line). */
  failed(code: string, message: string): string;
}

export function exportEncoder(format: ExportFormat, columns: readonly ExportColumn[]): ExportEncoder {
  return format === 'csv' ? csvEncoder(columns) : ndjsonEncoder(columns);
}

/**
 * RFC 4180 (csv-stringify): a header of the selected response keys, then one record per row.
 * Strings are always quoted, so an empty string (`""`) differs from null (an empty field); a
 * struct, list or map is its JSON in one cell; booleans are `true`/`false`.
 */
function csvEncoder(columns: readonly ExportColumn[]): ExportEncoder {
  const options = { quoted_string: true, cast: { boolean: (value: boolean) => String(value) } } as const;
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    head: () => stringify([columns.map((column) => column.key)], options),
    batch: (rows) => stringify(rows.map((row) => columns.map((column) => cell(column.value(row)))), options),
    complete: () => '',
    failed: () => '',
  };
}

function cell(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

/** One JSON object per line, keys in selection order; a last line says the export is complete (`@complete`) or failed (`@error`). */
function ndjsonEncoder(columns: readonly ExportColumn[]): ExportEncoder {
  const line = (row: Row): string => `${JSON.stringify(Object.fromEntries(columns.map((column) => [column.key, column.value(row)])))}\n`;
  return {
    contentType: 'application/x-ndjson',
    extension: 'ndjson',
    head: () => '',
    batch: (rows) => rows.map(line).join(''),
    complete: (rows) => `${JSON.stringify({ '@complete': { rows } })}\n`,
    failed: (code, message) => `${JSON.stringify({ '@error': { code, message } })}\n`,
  };
}
