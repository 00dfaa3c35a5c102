import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The AWS JSON 1.1 plumbing the service fakes share: `POST /` with `X-Amz-Target:
 * <Prefix>.<Operation>` and a JSON body in and out; errors as HTTP 400 (500 for internal ones)
 * with `{"__type", "Message"}` in the body, where the SDK reads the error name from first. Each
 * fake supplies its operations and answers (`JsonService`); this file parses requests, records
 * them, applies injected faults (dropped connections, throttling) and writes the replies.
 */

export const CONTENT_TYPE = 'application/x-amz-json-1.1';

export class ServiceError extends Error {
  constructor(readonly errorType: string, message: string, readonly status = 400, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

/** What every fake records of a call. */
export interface RecordedJsonCall<Op extends string> {
  readonly operation: Op;
  readonly body: Record<string, unknown>;
  readonly headers: http.IncomingHttpHeaders;
  /** `performance.now()` when the request arrived. */
  readonly at: number;
  /** What came of it: `ok`, an error type, or `dropped`. */
  outcome?: string;
}

export interface DropOptions<Op extends string> {
  /** Only this operation's next call (default: the next call of any operation). */
  readonly operation?: Op;
  /** `before`: the request is dropped unprocessed; `after` (default): processed, then the response is lost. */
  readonly when?: 'before' | 'after';
}

/** Faults waiting for the next calls: each for `count` calls of its operation (or of any), first come first served. */
export class FaultQueue<Op extends string, F extends { readonly operation?: Op | undefined }> {
  private readonly entries: { remaining: number; readonly fault: F }[] = [];

  add(fault: F, count = 1): void {
    this.entries.push({ remaining: count, fault });
  }

  /** The fault due for a call of `operation`, used up by it; null when none is. */
  take(operation: Op): F | null {
    const index = this.entries.findIndex((entry) => !entry.fault.operation || entry.fault.operation === operation);
    if (index < 0) return null;
    const entry = this.entries[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.entries.splice(index, 1);
    return entry.fault;
  }
}

export interface JsonService<Op extends string, R extends RecordedJsonCall<Op>> {
  /** `AmazonAthena.`, `RedshiftData.`: what `X-Amz-Target` starts with. */
  readonly targetPrefix: string;
  readonly operations: readonly Op[];
  /** Calls per operation, faults and dropped ones included (counted here). */
  readonly calls: Record<Op, number>;
  /** Every call that parsed (appended here). */
  readonly requests: R[];
  readonly drops: FaultQueue<Op, DropOptions<Op>>;
  /** The throttling error injected for this call, if one is due. */
  throttle(operation: Op): ServiceError | null;
  /** Answers one call; may note on `record` what it reported. A non-ServiceError throw is a 500. */
  answer(record: R): object | Promise<object>;
  /** JSON text of a reply (default `JSON.stringify`). */
  readonly serialize?: (payload: object) => string;
}

export interface JsonServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Serves `service` on a free port of 127.0.0.1. */
export async function serveJson<Op extends string, R extends RecordedJsonCall<Op>>(service: JsonService<Op, R>): Promise<JsonServer> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void dispatch(service, request, response, Buffer.concat(chunks).toString('utf8')).catch(() => request.socket.destroy());
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/** Closes the server and every connection still open on it. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

async function dispatch<Op extends string, R extends RecordedJsonCall<Op>>(service: JsonService<Op, R>, request: http.IncomingMessage, response: http.ServerResponse, text: string): Promise<void> {
  let record: R;
  try {
    const operation = operationOf(request, service.targetPrefix, service.operations);
    service.calls[operation] += 1;
    record = { operation, body: parseBody(text), headers: request.headers, at: performance.now() } as R;
    service.requests.push(record);
  } catch (error) {
    sendJson(response, (error as ServiceError).status, errorBody(error as ServiceError), service.serialize);
    return;
  }
  const drop = service.drops.take(record.operation);
  if (drop?.when === 'before') {
    record.outcome = 'dropped';
    request.socket.destroy();
    return;
  }
  const reply = await answer(service, record);
  if (drop) {
    record.outcome = 'dropped';
    request.socket.destroy();
    return;
  }
  sendJson(response, reply.status, reply.payload, service.serialize);
}

async function answer<Op extends string, R extends RecordedJsonCall<Op>>(service: JsonService<Op, R>, record: R): Promise<{ status: number; payload: object }> {
  try {
    const throttled = service.throttle(record.operation);
    if (throttled) throw throttled;
    const payload = await service.answer(record);
    record.outcome = 'ok';
    return { status: 200, payload };
  } catch (error) {
    const failure = error instanceof ServiceError ? error : new ServiceError('InternalServerException', (error as Error).message, 500);
    record.outcome = failure.errorType;
    return { status: failure.status, payload: errorBody(failure) };
  }
}

function operationOf<Op extends string>(request: http.IncomingMessage, targetPrefix: string, operations: readonly Op[]): Op {
  if (request.method !== 'POST' || (request.url ?? '').split('?')[0] !== '/') {
    throw new ServiceError('UnknownOperationException', `AWS JSON 1.1 takes POST /, not ${request.method} ${request.url}`, 404);
  }
  const contentType = String(request.headers['content-type'] ?? '');
  if (!contentType.startsWith(CONTENT_TYPE)) throw new ServiceError('SerializationException', `expected Content-Type ${CONTENT_TYPE}, got "${contentType}"`);
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = operations.find((name) => target === `${targetPrefix}${name}`);
  if (!operation) throw new ServiceError('UnknownOperationException', `unknown or unsupported X-Amz-Target "${target}"`);
  return operation;
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const body = JSON.parse(text === '' ? '{}' : text) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ServiceError('SerializationException', 'the request body is not a JSON object');
}

function errorBody(error: ServiceError): object {
  return { __type: error.errorType, Message: error.message, ...error.extra };
}

function sendJson(response: http.ServerResponse, status: number, payload: object, serialize: (payload: object) => string = JSON.stringify): void {
  const text = serialize(payload);
  response.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  response.end(text);
}

/** An opaque NextToken for results from `offset` on. */
export function encodePageToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ id, offset })).toString('base64');
}

/** The offset a NextToken stands for (0 without one); a token for another id or not ours is `invalid()`. */
export function decodePageToken(token: unknown, id: string, invalid: () => ServiceError): number {
  if (token === undefined) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as { id?: string; offset?: number };
    if (decoded.id === id && typeof decoded.offset === 'number') return decoded.offset;
  } catch {
    // fall through
  }
  throw invalid();
}
