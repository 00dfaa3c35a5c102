import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataCellsFilter, LFTagDefinition, PrincipalResourcePermissions, TableTags } from '../../src/policy/lf-types';

/**
 * A Lake Formation fake speaking the REST-JSON protocol `@aws-sdk/client-lakeformation` uses:
 * `POST /ListPermissions`, `/ListDataCellsFilter`, `/ListLFTags`, `/GetResourceLFTags`, JSON bodies in
 * and out. Errors carry the `x-amzn-errortype` header (what the SDK reads first) and
 * `{"__type","Message"}` in the body. Lists are paged `pageSize` at a time with an opaque NextToken.
 * Signatures are not checked.
 */

export type LakeFormationOperation = 'ListPermissions' | 'ListDataCellsFilter' | 'ListLFTags' | 'GetResourceLFTags';

const OPERATIONS: readonly LakeFormationOperation[] = ['ListPermissions', 'ListDataCellsFilter', 'ListLFTags', 'GetResourceLFTags'];

/** What the fake serves; mutate it between calls. Items are sent as they are (extra AWS keys included). */
export interface LakeFormationEmulatorState {
  permissions: PrincipalResourcePermissions[];
  dataCellsFilters: DataCellsFilter[];
  tagDefinitions: LFTagDefinition[];
  /** `get-resource-lf-tags` per table; a table missing here answers EntityNotFoundException. */
  tableTags: TableTags[];
  pageSize: number;
}

export interface Fault {
  readonly status: number;
  readonly errorType: string;
  readonly message?: string;
  /** Fail only this operation's calls (others pass and do not use up the fault). */
  readonly operation?: LakeFormationOperation;
}

export interface RecordedRequest {
  readonly operation: LakeFormationOperation;
  readonly body: Record<string, unknown>;
  readonly headers: http.IncomingHttpHeaders;
}

export interface LakeFormationEmulator {
  readonly endpoint: string;
  readonly state: LakeFormationEmulatorState;
  /** Calls per operation (failed ones included). */
  readonly calls: Record<LakeFormationOperation, number>;
  readonly requests: RecordedRequest[];
  failNext(count: number, fault: Fault): void;
  close(): Promise<void>;
}

class ServiceError extends Error {
  constructor(readonly status: number, readonly errorType: string, message: string) {
    super(message);
  }
}

export async function startLakeFormationEmulator(initial: Partial<LakeFormationEmulatorState> = {}): Promise<LakeFormationEmulator> {
  const state: LakeFormationEmulatorState = {
    permissions: [...(initial.permissions ?? [])],
    dataCellsFilters: [...(initial.dataCellsFilters ?? [])],
    tagDefinitions: [...(initial.tagDefinitions ?? [])],
    tableTags: [...(initial.tableTags ?? [])],
    pageSize: initial.pageSize ?? 2,
  };
  const calls = Object.fromEntries(OPERATIONS.map((operation) => [operation, 0])) as Record<LakeFormationOperation, number>;
  const requests: RecordedRequest[] = [];
  const faults: { remaining: number; fault: Fault }[] = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const operation = operationOf(request);
        calls[operation] += 1;
        const body = parseBody(Buffer.concat(chunks).toString('utf8'));
        requests.push({ operation, body, headers: request.headers });
        takeFault(faults, operation);
        send(response, 200, answer(state, operation, body));
      } catch (error) {
        const failure = error instanceof ServiceError ? error : new ServiceError(500, 'InternalServiceException', (error as Error).message);
        send(response, failure.status, { __type: failure.errorType, Message: failure.message }, failure.errorType);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    state,
    calls,
    requests,
    failNext(count, fault) {
      faults.push({ remaining: count, fault });
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

function operationOf(request: http.IncomingMessage): LakeFormationOperation {
  const path = (request.url ?? '').split('?')[0]!.replace(/^\//, '');
  const operation = OPERATIONS.find((name) => name === path);
  if (!operation) throw new ServiceError(404, 'UnknownOperationException', `no operation at ${request.method} ${request.url}`);
  if (request.method !== 'POST') throw new ServiceError(405, 'UnknownOperationException', `${operation} takes POST`);
  return operation;
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ServiceError(400, 'InvalidInputException', 'the request body is not a JSON object');
}

function takeFault(faults: { remaining: number; fault: Fault }[], operation: LakeFormationOperation): void {
  const index = faults.findIndex((entry) => !entry.fault.operation || entry.fault.operation === operation);
  if (index < 0) return;
  const entry = faults[index]!;
  entry.remaining -= 1;
  if (entry.remaining <= 0) faults.splice(index, 1);
  throw new ServiceError(entry.fault.status, entry.fault.errorType, entry.fault.message ?? `injected ${entry.fault.errorType}`);
}

function answer(state: LakeFormationEmulatorState, operation: LakeFormationOperation, body: Record<string, unknown>): object {
  switch (operation) {
    case 'ListPermissions': {
      const stamped = state.permissions.map((grant) => ({ ...grant, LastUpdated: 1_714_000_000, LastUpdatedBy: 'arn:aws:iam::111122223333:role/LakeAdmin' }));
      return page(stamped, body, state.pageSize, 'PrincipalResourcePermissions');
    }
    case 'ListDataCellsFilter': {
      const table = body['Table'] as { DatabaseName?: string; Name?: string } | undefined;
      const filters = table ? state.dataCellsFilters.filter((f) => f.DatabaseName === table.DatabaseName && f.TableName === table.Name) : state.dataCellsFilters;
      return page(filters, body, state.pageSize, 'DataCellsFilters');
    }
    case 'ListLFTags':
      return page(state.tagDefinitions, body, state.pageSize, 'LFTags');
    case 'GetResourceLFTags':
      return resourceTags(state, body);
  }
}

function page(items: readonly unknown[], body: Record<string, unknown>, pageSize: number, key: string): object {
  const max = body['MaxResults'];
  if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 1000)) throw new ServiceError(400, 'InvalidInputException', 'MaxResults must be between 1 and 1000');
  const size = Math.min(pageSize, typeof max === 'number' ? max : pageSize);
  const start = decodeToken(body['NextToken'], key);
  const next = start + size < items.length ? Buffer.from(JSON.stringify({ key, offset: start + size })).toString('base64') : undefined;
  return { [key]: items.slice(start, start + size), ...(next ? { NextToken: next } : {}) };
}

function decodeToken(token: unknown, key: string): number {
  if (token === undefined) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as { key?: string; offset?: number };
    if (decoded.key === key && typeof decoded.offset === 'number') return decoded.offset;
  } catch {
    // fall through
  }
  throw new ServiceError(400, 'InvalidInputException', 'invalid NextToken');
}

function resourceTags(state: LakeFormationEmulatorState, body: Record<string, unknown>): object {
  const table = (body['Resource'] as { Table?: { DatabaseName?: string; Name?: string } } | undefined)?.Table;
  if (!table?.DatabaseName || !table.Name) throw new ServiceError(400, 'InvalidInputException', 'Resource.Table with DatabaseName and Name is required');
  const tags = state.tableTags.find((entry) => entry.database === table.DatabaseName && entry.table === table.Name);
  if (!tags) throw new ServiceError(400, 'EntityNotFoundException', `Table ${table.Name} not found in database ${table.DatabaseName}`);
  return { LFTagOnDatabase: tags.LFTagOnDatabase ?? [], LFTagsOnTable: tags.LFTagsOnTable ?? [], LFTagsOnColumns: tags.LFTagsOnColumns ?? [] };
}

function send(response: http.ServerResponse, status: number, payload: object, errorType?: string): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}
