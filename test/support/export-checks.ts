import assert from 'node:assert/strict';
import { callExport, csvCells, parseCsv, parseNdjson, type ExportAnswer } from './export-client';

export interface ExportTarget {
  readonly base: string;
  /** POSTs a GraphQL operation; resolves to its status and body. */
  graphql(query: string, role?: string): Promise<{ status: number; body: { data?: Record<string, unknown>; errors?: unknown } }>;
  token(role?: string): string;
}

/** The rows /graphql answers for `query` (one list field), asserted error-free. */
export async function graphqlRows(target: ExportTarget, query: string, field: string, role?: string): Promise<Record<string, unknown>[]> {
  const response = await target.graphql(query, role);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return response.body.data![field] as Record<string, unknown>[];
}

/** Exports `query` in both formats (GET for CSV, POST for NDJSON) and checks each equals `expected`, in order, value for value. */
export async function assertExportEquals(target: ExportTarget, query: string, expected: readonly Record<string, unknown>[], role?: string): Promise<void> {
  const keys = Object.keys(expected[0] ?? {});
  const csv = await callExport(target.base, { format: 'csv', query, token: target.token(role) });
  assertComplete(csv, expected.length);
  assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8$/);
  assert.match(String(csv.headers['content-disposition']), /^attachment; filename="\w+-\d{8}T\d{6}Z\.csv"$/);
  const [header, ...records] = parseCsv(csv.text);
  assert.deepEqual(header, keys);
  assert.deepEqual(records, expected.map((row) => csvCells(row, keys)));
  const ndjson = await callExport(target.base, { format: 'ndjson', query, method: 'POST', token: target.token(role) });
  assertComplete(ndjson, expected.length);
  assert.equal(ndjson.headers['content-type'], 'application/x-ndjson');
  const lines = parseNdjson(ndjson.text);
  assert.deepEqual(lines.at(-1), { '@complete': { rows: expected.length } });
  assert.deepEqual(lines.slice(0, -1), expected);
}

/** A 200 whose body ended with the row-count trailer. */
export function assertComplete(answer: ExportAnswer, rows: number): void {
  assert.equal(answer.status, 200, answer.text.slice(0, 500));
  assert.ok(answer.complete, 'the body ended with its terminating chunk');
  assert.equal(answer.trailers['lakegate-export-rows'], String(rows));
}

/** A JSON refusal with `status` and `code`; resolves to its message. */
export function assertRefused(answer: ExportAnswer, status: number, code: string): string {
  assert.equal(answer.status, status, answer.text);
  assert.match(String(answer.headers['content-type']), /application\/json/);
  const body = JSON.parse(answer.text) as { errors: { message: string; extensions: { code: string } }[] };
  assert.equal(body.errors[0]!.extensions.code, code, answer.text);
  assert.ok(!/\bat \S+ \(/.test(answer.text), 'no stack trace');
  return body.errors[0]!.message;
}
