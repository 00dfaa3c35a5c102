import type { IncomingMessage } from 'node:http';
import { readJsonBody } from '../http/json-body';
import { refusal, type Refusal } from '../http/refusal';

export type ExportFormat = 'csv' | 'ndjson';

/** What an export asks for: a GraphQL document reading one dataset list field, and the format to write it in. */
export interface ExportRequest {
  readonly format: ExportFormat;
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  readonly operationName: string | undefined;
}

export type ReadExport = { readonly ok: true; readonly value: ExportRequest } | { readonly ok: false; readonly refusal: Refusal };

const FORMATS: ReadonlySet<string> = new Set(['csv', 'ndjson']);

/**
 * The export's request: `format` always from the URL; the document from the `query` URL parameter
 * (GET, `variables` as JSON and `operationName` beside it) or a JSON body `{query, variables,
 * operationName}` (POST, which must be `application/json`). A malformed one is 400 BAD_REQUEST.
 */
export async function readExportRequest(req: IncomingMessage): Promise<ReadExport> {
  const params = new URL(req.url ?? '/', 'http://lakegate').searchParams;
  const format = params.get('format');
  if (!format || !FORMATS.has(format)) return bad(`format must be csv or ndjson (got ${format === null ? 'none' : JSON.stringify(format)}): /export?format=csv`);
  if (req.method === 'POST') return fromBody(req, format as ExportFormat);
  if (req.method !== 'GET') return { ok: false, refusal: refusal(405, 'BAD_REQUEST', 'Export takes GET or POST', {}, { allow: 'GET, POST' }) };
  return fromParams(params, format as ExportFormat);
}

async function fromBody(req: IncomingMessage, format: ExportFormat): Promise<ReadExport> {
  const body = await readJsonBody(req);
  if (!body.ok) return body;
  if (body.value === undefined) return { ok: false, refusal: refusal(415, 'BAD_REQUEST', 'POST /export takes a JSON body (Content-Type: application/json): {"query": "...", "variables": {...}}') };
  const { query, variables, operationName } = body.value as Record<string, unknown>;
  return request(format, query, variables ?? undefined, operationName ?? undefined);
}

function fromParams(params: URLSearchParams, format: ExportFormat): ReadExport {
  const variables = params.get('variables');
  let parsed: unknown;
  try {
    parsed = variables === null || variables === '' ? undefined : JSON.parse(variables);
  } catch {
    return bad('the variables parameter must be a JSON object');
  }
  return request(format, params.get('query'), parsed, params.get('operationName') ?? undefined);
}

function request(format: ExportFormat, query: unknown, variables: unknown, operationName: unknown): ReadExport {
  if (typeof query !== 'string' || query.trim() === '') return bad('the export needs a GraphQL document in query, e.g. { transactions(limit: 10) { transactionId amount } }');
  if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables))) return bad('variables must be a JSON object');
  if (operationName !== undefined && typeof operationName !== 'string') return bad('operationName must be a string');
  return { ok: true, value: { format, query, variables: variables as Record<string, unknown> | undefined, operationName } };
}

function bad(message: string): ReadExport {
  return { ok: false, refusal: refusal(400, 'BAD_REQUEST', message) };
}
