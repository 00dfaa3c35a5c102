import assert from 'node:assert/strict';
import http from 'node:http';

/** An /export answer read whole: status, headers, the chunked body's trailers and its text. */
export interface ExportAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly trailers: NodeJS.Dict<string>;
  readonly text: string;
  /** False when the body ended without its terminating chunk (the server dropped the connection). */
  readonly complete: boolean;
}

export interface ExportCall {
  readonly format?: string;
  readonly query?: string;
  readonly variables?: Record<string, unknown>;
  readonly method?: 'GET' | 'POST';
  /** Bearer token; none sends no Authorization header. */
  readonly token?: string;
}

/** The path and body of an export request: GET carries the document in the URL, POST in a JSON body. */
function requestOf(call: ExportCall): { path: string; body: string | null } {
  const params = new URLSearchParams();
  if (call.format !== undefined) params.set('format', call.format);
  if (call.method === 'POST') return { path: `/export?${params}`, body: JSON.stringify({ query: call.query, variables: call.variables }) };
  if (call.query !== undefined) params.set('query', call.query);
  if (call.variables) params.set('variables', JSON.stringify(call.variables));
  return { path: `/export?${params}`, body: null };
}

/** Sends an export to the server at `base` (node's own client, so the trailers can be read). */
export function callExport(base: string, call: ExportCall): Promise<ExportAnswer> {
  const { path, body } = requestOf(call);
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), {
      method: call.method ?? 'GET',
      headers: { ...(call.token ? { authorization: `Bearer ${call.token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      // 'close', not 'end': a body cut short never ends, and is an answer too.
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, text: Buffer.concat(chunks).toString('utf8'), complete: res.complete }));
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** When a client cut short leaves: once `bytes` of the body arrived, or `afterMs` after sending (headers or not). */
export type Leave = { readonly bytes: number } | { readonly afterMs: number };

/**
 * Starts an export and leaves as `leave` says, reading nothing more: a client cut short. Resolves
 * with the body bytes it read once its socket is gone.
 */
export function abandonExport(base: string, call: ExportCall, leave: Leave): Promise<number> {
  const { path, body } = requestOf(call);
  return new Promise((resolve) => {
    let read = 0;
    const req = http.request(new URL(path, base), {
      method: call.method ?? 'GET',
      headers: { ...(call.token ? { authorization: `Bearer ${call.token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if ('bytes' in leave && read >= leave.bytes) {
          res.pause();
          req.destroy();
        }
      });
      res.on('error', () => undefined);
    });
    if ('afterMs' in leave) setTimeout(() => req.destroy(), leave.afterMs);
    req.on('error', () => undefined);
    req.on('close', () => resolve(read));
    req.end(body ?? undefined);
  });
}

/**
 * RFC 4180 records; a quoted field is a string (`""` is the empty string), an empty unquoted one
 * is null — as the export writes them.
 */
export function parseCsv(text: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let index = 0;
  while (index < text.length) {
    let value: string | null;
    if (text[index] === '"') {
      let end = index + 1;
      value = '';
      for (;;) {
        const quote = text.indexOf('"', end);
        if (text[quote + 1] === '"') {
          value += text.slice(end, quote + 1);
          end = quote + 2;
        } else {
          value += text.slice(end, quote);
          index = quote + 1;
          break;
        }
      }
    } else {
      const end = text.slice(index).search(/[,\r\n]/);
      const raw = end === -1 ? text.slice(index) : text.slice(index, index + end);
      index += raw.length;
      value = raw === '' ? null : raw;
    }
    record.push(value);
    if (text[index] === ',') {
      index += 1;
      continue;
    }
    if (text[index] === '\r') index += 1;
    index += 1;
    records.push(record);
    record = [];
  }
  return records;
}

/** A /graphql row as the export's CSV writes it: null empty, a struct or list its JSON, anything else its text. */
export function csvCells(row: Readonly<Record<string, unknown>>, keys: readonly string[]): (string | null)[] {
  return keys.map((key) => {
    const value = row[key];
    if (value === null || value === undefined) return null;
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** NDJSON lines as objects; the last one is the export's `@complete` or `@error` line. */
export function parseNdjson(text: string): Record<string, unknown>[] {
  assert.ok(text.endsWith('\n'), 'every NDJSON line ends with a newline');
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}
