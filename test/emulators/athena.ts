import { randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { substituteParameters } from './athena-parameters';
import { columnInfo, renderValue, type ColumnInfoJson } from './athena-results';
import type { GlueTable } from '../../src/catalog/types';
import { createViewSql, localFolder } from '../../src/datasources/local/views';
import { decodePageToken, encodePageToken, FaultQueue, serveJson, ServiceError, type DropOptions as JsonDropOptions, type RecordedJsonCall } from './json-protocol';

/**
 * An Amazon Athena fake speaking AWS JSON 1.1 exactly as `@aws-sdk/client-athena` sends it:
 * `POST /`, `X-Amz-Target: AmazonAthena.<Operation>`, `Content-Type: application/x-amz-json-1.1`,
 * a JSON body in and out. Errors are HTTP 400 (500 for internal ones) with `{"__type", "Message"}`
 * in the body, which is where the SDK reads the error name from first for JSON 1.1. Timestamps are
 * epoch seconds (the protocol's default). Signatures are not checked.
 *
 * Queries run on DuckDB over the same lake folder the local engine reads, one view per Glue table
 * (`createViewSql`), in an attached catalog named after the Athena catalog, so `db.table` and
 * `"awsdatacatalog".db.table` both resolve and `QueryExecutionContext.Database` is the schema.
 * `ExecutionParameters` must each be one Trino literal (`'x'`, `42`, `true`, `DECIMAL '1.5'`,
 * `TIMESTAMP '...'`, ...); anything else fails the query, so a parameter renderer that would let
 * SQL through is caught here. They replace the `?` placeholders outside string literals, quoted
 * identifiers and comments.
 *
 * Lifecycle: QUEUED (`queuedMs`) → RUNNING (at least `slow(ms)`) → SUCCEEDED | FAILED, or
 * CANCELLED by StopQueryExecution. Results are kept for GetQueryResults: the header row first on
 * page 1 (it counts towards MaxResults, as in Athena), ColumnInfo with Athena type names, values in
 * Athena's text forms (`[a, b]`, `{k=v}`, `2024-01-01 10:00:00.000`, nulls as a Datum without
 * VarCharValue). DataScannedInBytes is the size of every data file of every table the SQL names
 * (an upper bound: no partition pruning).
 */

export type AthenaOperation = 'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults' | 'StopQueryExecution' | 'GetWorkGroup';

const OPERATIONS: readonly AthenaOperation[] = ['StartQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'StopQueryExecution', 'GetWorkGroup'];
const TARGET_PREFIX = 'AmazonAthena.';
/** Athena's StateChangeReason when a query hits the workgroup / service time limit. */
export const ATHENA_TIMEOUT_REASON = 'Query timeout';

export interface AthenaEmulatorOptions {
  readonly tables: readonly GlueTable[];
  readonly lakePath: string;
  readonly s3Prefix: string;
  /** The Athena data catalog name (default `AwsDataCatalog`). */
  readonly catalog?: string;
  /** Workgroups that exist (default `['primary']`). */
  readonly workGroups?: readonly string[];
  /** How long a query stays QUEUED (default 10 ms). */
  readonly queuedMs?: number;
}

export interface RecordedCall extends RecordedJsonCall<AthenaOperation> {
  /** For GetQueryExecution: the state reported. */
  reportedState?: string;
}

export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface EmulatedQuery {
  readonly id: string;
  readonly token: string | null;
  readonly queryString: string;
  readonly parameters: readonly string[] | null;
  /** The SQL DuckDB ran, parameters substituted; null until it ran. */
  executedSql: string | null;
  readonly catalog: string;
  readonly database: string | null;
  readonly workGroup: string;
  state: QueryState;
  reason: string | null;
  submittedAt: number;
  completedAt: number | null;
  bytesScanned: number;
  engineMs: number;
  reused: boolean;
  readonly resultReuseMinutes: number | null;
}

export type DropOptions = JsonDropOptions<AthenaOperation>;

export interface ThrottleOptions {
  readonly operation?: AthenaOperation;
  readonly errorType?: 'ThrottlingException' | 'TooManyRequestsException';
}

export interface FailOptions {
  /** AthenaError.ErrorCategory: 1 SYSTEM, 2 USER (default), 3 OTHER. */
  readonly category?: 1 | 2 | 3;
  readonly errorType?: number;
}

export interface AthenaEmulator {
  readonly endpoint: string;
  /** Calls per operation, faults and dropped ones included. */
  readonly calls: Record<AthenaOperation, number>;
  readonly requests: RecordedCall[];
  /** The next `count` calls (of `operation`, or of any) answer 400 ThrottlingException / TooManyRequestsException. */
  throttleNext(count?: number, options?: ThrottleOptions): void;
  /** The next query started ends FAILED with `message` as its StateChangeReason. */
  failNext(message: string, options?: FailOptions): void;
  /** Queries started from now on stay RUNNING at least `ms` (0 turns it off). */
  slow(ms: number): void;
  /** The next query started ends FAILED with Athena's timeout reason (after `slow` or 30 ms). */
  engineTimeout(): void;
  /** The next query reports a retryable SYSTEM failure once, then goes QUEUED again and succeeds (Athena's automatic retry). */
  flapNext(): void;
  /** Destroys the socket of the next matching request. */
  dropNextConnection(options?: DropOptions): void;
  queries(): readonly EmulatedQuery[];
  /** Forgets a query and its result, as Athena does once its history and S3 result are gone. */
  forget(queryId: string): void;
  /** The GetQueryExecution arrival times for one query (ms, `performance.now()`). */
  pollTimes(queryId: string): number[];
  close(): Promise<void>;
}

interface QueryFault {
  readonly kind: 'fail' | 'timeout' | 'flap';
  readonly message?: string;
  readonly category?: number;
  readonly errorType?: number;
}

interface Outcome {
  readonly state: 'SUCCEEDED' | 'FAILED';
  readonly reason?: string;
  readonly error?: { ErrorCategory: number; ErrorType: number; Retryable: boolean; ErrorMessage: string };
  readonly columns?: ColumnInfoJson[];
  readonly rows?: (string | null)[][];
}

interface QueryRecord extends EmulatedQuery {
  slowMs: number;
  fault: QueryFault | null;
  runningAt: number | null;
  error: Outcome['error'] | null;
  columns: ColumnInfoJson[] | null;
  rows: (string | null)[][] | null;
  connection: DuckDBConnection | null;
  transientFailure: boolean;
}

export async function startAthenaEmulator(options: AthenaEmulatorOptions): Promise<AthenaEmulator> {
  const catalogName = options.catalog ?? 'AwsDataCatalog';
  const duckCatalog = catalogName.toLowerCase();
  const workGroups = new Set(options.workGroups ?? ['primary']);
  const queuedMs = options.queuedMs ?? 10;

  const instance = await DuckDBInstance.create(':memory:');
  const setup = await instance.connect();
  const tableFiles = new Map<string, { database: string; name: string; bytes: number }>();
  try {
    await setup.run(`ATTACH ':memory:' AS ${ident(duckCatalog)}`);
    await setup.run(`USE ${ident(duckCatalog)}`);
    // Glue always has a `default` database; an engine may name it as its context.
    await setup.run('CREATE SCHEMA IF NOT EXISTS "default"');
    for (const table of options.tables) {
      const folder = localFolder(table, options);
      if (!folder) throw new Error(`table ${table.database}.${table.name}: location ${table.location} is not under ${options.s3Prefix}`);
      await setup.run(`CREATE SCHEMA IF NOT EXISTS ${ident(table.database)}`);
      await setup.run(createViewSql(table, folder));
      tableFiles.set(`${table.database}.${table.name}`.toLowerCase(), { database: table.database, name: table.name, bytes: dataBytes(folder) });
    }
  } finally {
    setup.closeSync();
  }

  const calls = Object.fromEntries(OPERATIONS.map((operation) => [operation, 0])) as Record<AthenaOperation, number>;
  const requests: RecordedCall[] = [];
  const queries = new Map<string, QueryRecord>();
  const byToken = new Map<string, string>();
  const throttles = new FaultQueue<AthenaOperation, ThrottleOptions>();
  const drops = new FaultQueue<AthenaOperation, DropOptions>();
  const queryFaults: QueryFault[] = [];
  /** Pending lifecycle waits; close() ends them early (the lifecycle then sees `closed`). */
  const timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  const running = new Set<Promise<void>>();
  let slowMs = 0;
  let closed = false;

  const delay = (ms: number): Promise<void> => new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, Math.max(0, ms));
    timers.set(timer, resolve);
  });

  // ---- query lifecycle ----------------------------------------------------------------------

  function launch(query: QueryRecord): void {
    const task = lifecycle(query).catch(() => undefined);
    running.add(task);
    void task.finally(() => running.delete(task));
  }

  async function lifecycle(query: QueryRecord): Promise<void> {
    await delay(queuedMs);
    if (closed || query.state !== 'QUEUED') return;
    if (query.fault?.kind === 'flap') {
      query.fault = null;
      query.transientFailure = true;
      finish(query, failed('INTERNAL_ERROR_QUERY_ENGINE: Amazon Athena experienced an internal error while executing this query. Retrying.', 1, 200, true));
      return;
    }
    query.state = 'RUNNING';
    query.runningAt = performance.now();
    let outcome: Outcome;
    if (query.fault?.kind === 'timeout') {
      await delay(Math.max(query.slowMs, 30));
      outcome = failed(ATHENA_TIMEOUT_REASON, 1, 206, false);
    } else if (query.fault?.kind === 'fail') {
      outcome = failed(query.fault.message ?? 'the query failed', query.fault.category ?? 2, query.fault.errorType ?? 1000, false);
    } else {
      outcome = await run(query);
    }
    const left = query.slowMs - (performance.now() - query.runningAt);
    if (left > 0) await delay(left);
    if (closed || query.state !== 'RUNNING') return;
    finish(query, outcome);
  }

  function finish(query: QueryRecord, outcome: Outcome): void {
    query.state = outcome.state;
    query.reason = outcome.reason ?? null;
    query.error = outcome.error ?? null;
    query.columns = outcome.columns ?? null;
    query.rows = outcome.rows ?? null;
    query.completedAt = Date.now();
    if (query.runningAt !== null) query.engineMs = Math.round(performance.now() - query.runningAt);
  }

  async function run(query: QueryRecord): Promise<Outcome> {
    if (query.catalog.toLowerCase() !== duckCatalog) {
      return failed(`CATALOG_NOT_FOUND: line 1:1: Catalog '${query.catalog.toLowerCase()}' does not exist`, 2, 1000, false);
    }
    let sql: string;
    try {
      sql = substituteParameters(query.queryString, query.parameters ?? []);
    } catch (error) {
      return failed((error as Error).message, 2, 1000, false);
    }
    query.executedSql = sql;
    query.bytesScanned = scannedBytes(sql, query.database);
    const connection = await instance.connect();
    query.connection = connection;
    try {
      try {
        await connection.run(query.database ? `USE ${ident(duckCatalog)}.${ident(query.database)}` : `USE ${ident(duckCatalog)}`);
      } catch {
        return failed(`SCHEMA_NOT_FOUND: line 1:1: Schema '${query.database}' does not exist`, 2, 1000, false);
      }
      const reader = await connection.runAndReadAll(sql);
      const types = reader.columnTypes();
      const columns = reader.columnNames().map((name, index) => columnInfo(name, types[index]!));
      const rows = reader.getRows().map((row) => row.map((value, index) => renderValue(value, types[index]!)));
      return { state: 'SUCCEEDED', columns, rows };
    } catch (error) {
      return failed(`GENERIC_INTERNAL_ERROR: ${(error as Error).message.split('\n')[0]}`, 2, 1000, false);
    } finally {
      query.connection = null;
      connection.closeSync();
    }
  }

  function scannedBytes(sql: string, database: string | null): number {
    let total = 0;
    for (const [key, table] of tableFiles) {
      const qualified = new RegExp(`(^|[^\\w"])"?${escapeRegExp(table.database)}"?\\s*\\.\\s*"?${escapeRegExp(table.name)}"?(?![\\w"])`, 'i');
      const bare = new RegExp(`(^|[^\\w".])"?${escapeRegExp(table.name)}"?(?![\\w".])`, 'i');
      if (qualified.test(sql) || (database?.toLowerCase() === table.database.toLowerCase() && bare.test(sql))) total += tableFiles.get(key)!.bytes;
    }
    return total;
  }

  // ---- operations ---------------------------------------------------------------------------

  function startQueryExecution(body: Record<string, unknown>): object {
    const queryString = body['QueryString'];
    if (typeof queryString !== 'string' || queryString.length === 0) throw new ServiceError('InvalidRequestException', 'QueryString is required');
    const token = body['ClientRequestToken'];
    if (token !== undefined && (typeof token !== 'string' || token.length < 32 || token.length > 128)) {
      throw new ServiceError('InvalidRequestException', 'ClientRequestToken must be 32 to 128 characters');
    }
    const parameters = body['ExecutionParameters'];
    if (parameters !== undefined) {
      if (!Array.isArray(parameters) || parameters.length === 0) throw new ServiceError('InvalidRequestException', 'ExecutionParameters must contain at least 1 item');
      if (!parameters.every((item) => typeof item === 'string' && item.length >= 1 && item.length <= 1024)) {
        throw new ServiceError('InvalidRequestException', 'each ExecutionParameters item must be a string of 1 to 1024 characters');
      }
    }
    const workGroup = typeof body['WorkGroup'] === 'string' ? body['WorkGroup'] : 'primary';
    if (!workGroups.has(workGroup)) throw new ServiceError('InvalidRequestException', `WorkGroup ${workGroup} is not found.`);
    const context = (body['QueryExecutionContext'] ?? {}) as { Catalog?: string; Database?: string };
    if (typeof token === 'string') {
      const existing = byToken.get(token);
      if (existing) {
        const previous = queries.get(existing)!;
        if (previous.queryString !== queryString || JSON.stringify(previous.parameters) !== JSON.stringify(parameters ?? null)) {
          throw new ServiceError('InvalidRequestException', 'Idempotent parameters do not match');
        }
        return { QueryExecutionId: existing };
      }
    }
    const reuse = (body['ResultReuseConfiguration'] as { ResultReuseByAgeConfiguration?: { Enabled?: boolean; MaxAgeInMinutes?: number } } | undefined)?.ResultReuseByAgeConfiguration;
    const query: QueryRecord = {
      id: randomUUID(),
      token: typeof token === 'string' ? token : null,
      queryString,
      parameters: (parameters as string[] | undefined) ?? null,
      executedSql: null,
      catalog: context.Catalog ?? catalogName,
      database: context.Database ?? null,
      workGroup,
      state: 'QUEUED',
      reason: null,
      submittedAt: Date.now(),
      completedAt: null,
      bytesScanned: 0,
      engineMs: 0,
      reused: false,
      resultReuseMinutes: reuse?.Enabled ? reuse.MaxAgeInMinutes ?? 60 : null,
      slowMs,
      fault: queryFaults.shift() ?? null,
      runningAt: null,
      error: null,
      columns: null,
      rows: null,
      connection: null,
      transientFailure: false,
    };
    queries.set(query.id, query);
    if (query.token) byToken.set(query.token, query.id);
    const reusable = query.resultReuseMinutes === null || query.fault ? undefined : [...queries.values()].find((previous) =>
      previous !== query && previous.state === 'SUCCEEDED' && !previous.reused && previous.queryString === query.queryString
      && JSON.stringify(previous.parameters) === JSON.stringify(query.parameters) && previous.catalog === query.catalog
      && previous.database === query.database && previous.workGroup === query.workGroup
      && Date.now() - (previous.completedAt ?? 0) <= query.resultReuseMinutes! * 60_000);
    if (reusable) {
      query.reused = true;
      query.executedSql = reusable.executedSql;
      finish(query, { state: 'SUCCEEDED', columns: reusable.columns!, rows: reusable.rows! });
    } else {
      launch(query);
    }
    return { QueryExecutionId: query.id };
  }

  function find(body: Record<string, unknown>): QueryRecord {
    const id = body['QueryExecutionId'];
    if (typeof id !== 'string') throw new ServiceError('InvalidRequestException', 'QueryExecutionId is required');
    const query = queries.get(id);
    if (!query) throw new ServiceError('InvalidRequestException', `QueryExecution ${id} was not found`, 400, { AthenaErrorCode: 'INVALID_INPUT' });
    return query;
  }

  function getQueryExecution(body: Record<string, unknown>): object {
    const query = find(body);
    const view = describe(query);
    if (query.transientFailure && query.state === 'FAILED') {
      // Reported once; Athena then retries the query itself.
      query.transientFailure = false;
      query.state = 'QUEUED';
      query.reason = null;
      query.error = null;
      query.completedAt = null;
      launch(query);
    }
    return { QueryExecution: view };
  }

  function describe(query: QueryRecord): object {
    const now = Date.now();
    const end = query.completedAt ?? now;
    const queueMs = query.runningAt === null ? end - query.submittedAt : Math.min(queuedMs, end - query.submittedAt);
    return {
      QueryExecutionId: query.id,
      Query: query.queryString,
      StatementType: 'DML',
      QueryExecutionContext: { Catalog: query.catalog, ...(query.database ? { Database: query.database } : {}) },
      WorkGroup: query.workGroup,
      ...(query.parameters ? { ExecutionParameters: query.parameters } : {}),
      ...(query.resultReuseMinutes !== null ? { ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: query.resultReuseMinutes } } } : {}),
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      Status: {
        State: query.state,
        ...(query.reason ? { StateChangeReason: query.reason } : {}),
        SubmissionDateTime: query.submittedAt / 1000,
        ...(query.completedAt ? { CompletionDateTime: query.completedAt / 1000 } : {}),
        ...(query.error ? { AthenaError: query.error } : {}),
      },
      Statistics: {
        EngineExecutionTimeInMillis: query.engineMs,
        DataScannedInBytes: query.reused ? 0 : query.bytesScanned,
        TotalExecutionTimeInMillis: end - query.submittedAt,
        QueryQueueTimeInMillis: queueMs,
        ServicePreProcessingTimeInMillis: 0,
        QueryPlanningTimeInMillis: 1,
        ServiceProcessingTimeInMillis: 1,
        ResultReuseInformation: { ReusedPreviousResult: query.reused },
      },
    };
  }

  function getQueryResults(body: Record<string, unknown>): object {
    const query = find(body);
    if (query.state === 'QUEUED' || query.state === 'RUNNING') throw new ServiceError('InvalidRequestException', `Query has not yet finished. Current state: ${query.state}`);
    if (query.state !== 'SUCCEEDED') throw new ServiceError('InvalidRequestException', `Query did not finish successfully. Final query state: ${query.state}`);
    const max = body['MaxResults'] ?? 1000;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000) throw new ServiceError('InvalidRequestException', 'MaxResults must be between 1 and 1000');
    const columns = query.columns ?? [];
    const all: (string | null)[][] = [columns.map((column) => column.Name), ...(query.rows ?? [])];
    const start = decodePageToken(body['NextToken'], query.id, () => new ServiceError('InvalidRequestException', 'The NextToken is not valid for this query'));
    const slice = all.slice(start, start + max);
    const next = start + max < all.length ? encodePageToken(query.id, start + max) : undefined;
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: slice.map((row) => ({ Data: row.map((value) => (value === null ? {} : { VarCharValue: value })) })),
        ResultSetMetadata: { ColumnInfo: columns },
      },
      ...(next ? { NextToken: next } : {}),
    };
  }

  function stopQueryExecution(body: Record<string, unknown>): object {
    const query = find(body);
    if (query.state === 'QUEUED' || query.state === 'RUNNING') {
      query.state = 'CANCELLED';
      query.completedAt = Date.now();
      query.connection?.interrupt();
    }
    return {};
  }

  function getWorkGroup(body: Record<string, unknown>): object {
    const name = body['WorkGroup'];
    if (typeof name !== 'string' || !workGroups.has(name)) throw new ServiceError('InvalidRequestException', 'WorkGroup is not found.');
    return {
      WorkGroup: {
        Name: name,
        State: 'ENABLED',
        Configuration: { EnforceWorkGroupConfiguration: false, PublishCloudWatchMetricsEnabled: false, EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' } },
        CreationTime: 1_700_000_000,
      },
    };
  }

  const HANDLERS: Record<AthenaOperation, (body: Record<string, unknown>) => object> = {
    StartQueryExecution: startQueryExecution,
    GetQueryExecution: getQueryExecution,
    GetQueryResults: getQueryResults,
    StopQueryExecution: stopQueryExecution,
    GetWorkGroup: getWorkGroup,
  };

  // ---- HTTP ---------------------------------------------------------------------------------

  const server = await serveJson<AthenaOperation, RecordedCall>({
    targetPrefix: TARGET_PREFIX,
    operations: OPERATIONS,
    calls,
    requests,
    drops,
    throttle: (operation) => throttleError(throttles.take(operation)),
    answer(record) {
      const answer = HANDLERS[record.operation](record.body);
      if (record.operation === 'GetQueryExecution') record.reportedState = (answer as { QueryExecution: { Status: { State: string } } }).QueryExecution.Status.State;
      return answer;
    },
  });

  return {
    endpoint: server.endpoint,
    calls,
    requests,
    throttleNext(count = 1, throttleOptions = {}) {
      throttles.add(throttleOptions, count);
    },
    failNext(message, failOptions = {}) {
      queryFaults.push({ kind: 'fail', message, ...failOptions });
    },
    slow(ms) {
      slowMs = Math.max(0, ms);
    },
    engineTimeout() {
      queryFaults.push({ kind: 'timeout' });
    },
    flapNext() {
      queryFaults.push({ kind: 'flap' });
    },
    dropNextConnection(dropOptions = {}) {
      drops.add({ when: 'after', ...dropOptions });
    },
    queries: () => [...queries.values()].map(snapshot),
    forget: (queryId) => void queries.delete(queryId),
    pollTimes: (queryId) => requests.filter((call) => call.operation === 'GetQueryExecution' && call.body['QueryExecutionId'] === queryId).map((call) => call.at),
    async close() {
      if (closed) return;
      closed = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      for (const query of queries.values()) query.connection?.interrupt();
      await Promise.allSettled([...running]);
      await server.close();
      instance.closeSync();
    },
  };
}

function snapshot(query: QueryRecord): EmulatedQuery {
  const { id, token, queryString, parameters, executedSql, catalog, database, workGroup, state, reason, submittedAt, completedAt, bytesScanned, engineMs, reused, resultReuseMinutes } = query;
  return { id, token, queryString, parameters, executedSql, catalog, database, workGroup, state, reason, submittedAt, completedAt, bytesScanned, engineMs, reused, resultReuseMinutes };
}

function failed(reason: string, category: number, errorType: number, retryable: boolean): Outcome {
  return { state: 'FAILED', reason, error: { ErrorCategory: category, ErrorType: errorType, Retryable: retryable, ErrorMessage: reason } };
}

/** The error an injected throttle answers with: Athena's concurrency limit or a plain rate limit. */
function throttleError(throttle: ThrottleOptions | null): ServiceError | null {
  if (!throttle) return null;
  const errorType = throttle.errorType ?? 'ThrottlingException';
  return errorType === 'TooManyRequestsException'
    ? new ServiceError(errorType, 'You have exceeded the limit for the number of queries you can run concurrently.', 400, { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' })
    : new ServiceError(errorType, 'Rate exceeded');
}

// ---- parameters -----------------------------------------------------------------------------

function dataBytes(folder: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry);
    const stat = statSync(full);
    if (stat.isDirectory()) total += dataBytes(full);
    else if (/\.(parquet|json|csv)$/.test(entry)) total += stat.size;
  }
  return total;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
