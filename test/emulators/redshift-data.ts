import { randomUUID } from 'node:crypto';
import pg, { type PoolClient, type PoolConfig } from 'pg';
import { decodePageToken, encodePageToken, FaultQueue, serveJson, ServiceError, type DropOptions as JsonDropOptions, type RecordedJsonCall } from './json-protocol';
import { columnMetadata, fieldOf, knownType, toJson, type ColumnMetadataJson, type FieldJson } from './redshift-data-fields';
import { bindNamedParameters, ParameterError, type SqlParameterJson } from './redshift-data-sql';

/**
 * An Amazon Redshift Data API fake speaking AWS JSON 1.1 exactly as `@aws-sdk/client-redshift-data`
 * sends it: `POST /`, `X-Amz-Target: RedshiftData.<Operation>`, `Content-Type:
 * application/x-amz-json-1.1`, a JSON body in and out. Errors are HTTP 400 (500 for internal ones)
 * with `{"__type", "Message"}` in the body, where the SDK reads the error name from for JSON 1.1.
 * Timestamps are epoch seconds. Signatures are not checked.
 *
 * Statements run on PostgreSQL through `pg` (`redshift-data-sql.ts` turns `:name` parameters into
 * `$k` with text values), asynchronously: SUBMITTED → PICKED → STARTED → FINISHED | FAILED, or
 * ABORTED by CancelStatement (which runs `pg_cancel_backend` on the statement's backend, reported
 * as `RedshiftPid`). A FAILED statement's `Error` is PostgreSQL's message as Redshift words it
 * (`ERROR: ...`). Results are kept for GetStatementResult, `pageSize` records a page (default 100)
 * with an opaque NextToken, in the Data API's Field unions and ColumnMetadata
 * (`redshift-data-fields.ts`).
 *
 * Request rules checked as the Data API checks them: exactly one of ClusterIdentifier /
 * WorkgroupName (known ones only), DbUser only with a cluster, not both SecretArn and DbUser, a
 * Database, parameter names `[0-9A-Za-z_]+` with non-empty values, every parameter used,
 * ClientToken 1–64 characters (a repeated token with the same request returns the same Id; with a
 * different request it is a ValidationException).
 */

export type RedshiftDataOperation = 'ExecuteStatement' | 'DescribeStatement' | 'GetStatementResult' | 'CancelStatement';

const OPERATIONS: readonly RedshiftDataOperation[] = ['ExecuteStatement', 'DescribeStatement', 'GetStatementResult', 'CancelStatement'];
const TARGET_PREFIX = 'RedshiftData.';
const PARAMETER_NAME = /^[0-9A-Za-z_]+$/;

export interface RedshiftDataEmulatorOptions {
  /** Where statements run; `database` (default `postgres`) is the one Database the fake serves. */
  readonly pgConfig: PoolConfig;
  /** Runs once on each new PostgreSQL connection (e.g. `SET standard_conforming_strings = off`). */
  readonly onConnect?: (client: PoolClient) => Promise<void>;
  /** Provisioned clusters that exist (default `['lakegate']`). */
  readonly clusters?: readonly string[];
  /** Serverless workgroups that exist (default `['lakegate-wg']`). */
  readonly workgroups?: readonly string[];
  /** Records per GetStatementResult page (default 100). */
  readonly pageSize?: number;
  /** How long a statement stays SUBMITTED, then PICKED (default 5 ms each). */
  readonly queueMs?: number;
}

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface EmulatedStatement {
  readonly id: string;
  readonly token: string | null;
  readonly sql: string;
  readonly parameters: readonly SqlParameterJson[] | null;
  readonly database: string;
  readonly clusterIdentifier: string | null;
  readonly workgroupName: string | null;
  readonly dbUser: string | null;
  readonly secretArn: string | null;
  status: StatementStatus;
  error: string | null;
  /** The PostgreSQL backend that ran it (RedshiftPid); null until STARTED. */
  pid: number | null;
  readonly redshiftQueryId: number;
  readonly createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface RecordedCall extends RecordedJsonCall<RedshiftDataOperation> {
  /** For DescribeStatement: the status reported. */
  reportedStatus?: string;
}

export type DropOptions = JsonDropOptions<RedshiftDataOperation>;

export interface RedshiftDataEmulator {
  readonly endpoint: string;
  /** Calls per operation, faults and dropped ones included. */
  readonly calls: Record<RedshiftDataOperation, number>;
  readonly requests: RecordedCall[];
  /** The next `count` calls (of `operation`, or of any) answer 400 ThrottlingException. */
  throttleNext(count?: number, operation?: RedshiftDataOperation): void;
  /** The next statement started ends FAILED with `message` as its Error (the SQL is not run). */
  failNext(message: string): void;
  /** Statements started from now on sleep `ms` on their backend (`pg_sleep`) before their SQL; 0 turns it off. */
  slow(ms: number): void;
  /** The next statement runs under a 50 ms `statement_timeout` behind a sleep, so PostgreSQL times it out. */
  engineTimeout(): void;
  /** Destroys the socket of the next matching request. */
  dropNextConnection(options?: DropOptions): void;
  statements(): readonly EmulatedStatement[];
  /** Forgets a statement and its result, as the Data API does after 24 hours. */
  forget(id: string): void;
  close(): Promise<void>;
}

type Fault = { readonly kind: 'fail'; readonly message: string } | { readonly kind: 'timeout' };

interface StatementRecord extends EmulatedStatement {
  readonly slowMs: number;
  readonly fault: Fault | null;
  columns: ColumnMetadataJson[] | null;
  records: FieldJson[][] | null;
  hasResultSet: boolean;
  resultRows: number;
}

export async function startRedshiftDataEmulator(options: RedshiftDataEmulatorOptions): Promise<RedshiftDataEmulator> {
  const database = options.pgConfig.database ?? 'postgres';
  const clusters = new Set(options.clusters ?? ['lakegate']);
  const workgroups = new Set(options.workgroups ?? ['lakegate-wg']);
  const pageSize = options.pageSize ?? 100;
  const queueMs = options.queueMs ?? 5;
  const pool = new pg.Pool({ max: 20, ...options.pgConfig });
  pool.on('error', () => undefined);
  const prepared = new WeakSet<PoolClient>();
  const typeNames = new Map<number, string>();

  const calls = Object.fromEntries(OPERATIONS.map((operation) => [operation, 0])) as Record<RedshiftDataOperation, number>;
  const requests: RecordedCall[] = [];
  const statements = new Map<string, StatementRecord>();
  const byToken = new Map<string, string>();
  const throttles = new FaultQueue<RedshiftDataOperation, { readonly operation?: RedshiftDataOperation | undefined }>();
  const drops = new FaultQueue<RedshiftDataOperation, DropOptions>();
  const faults: Fault[] = [];
  const running = new Set<Promise<void>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let slowMs = 0;
  let nextQueryId = 1000;
  let closed = false;

  const delay = (ms: number): Promise<void> => new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });

  // ---- statement lifecycle ------------------------------------------------------------------

  function setStatus(statement: StatementRecord, status: StatementStatus, error: string | null = null): void {
    statement.status = status;
    statement.error = error;
    statement.updatedAt = Date.now();
    if (status === 'FINISHED' || status === 'FAILED' || status === 'ABORTED') statement.finishedAt = Date.now();
  }

  function launch(statement: StatementRecord): void {
    const task = lifecycle(statement).catch((error: unknown) => {
      if (statement.status !== 'ABORTED') setStatus(statement, 'FAILED', `ERROR: ${(error as Error).message}`);
    });
    running.add(task);
    void task.finally(() => running.delete(task));
  }

  async function lifecycle(statement: StatementRecord): Promise<void> {
    await delay(queueMs);
    if (closed || statusOf(statement) !== 'SUBMITTED') return;
    setStatus(statement, 'PICKED');
    await delay(queueMs);
    if (closed || statusOf(statement) !== 'PICKED') return;
    if (statement.database !== database) {
      setStatus(statement, 'FAILED', `FATAL: database "${statement.database}" does not exist`);
      return;
    }
    let bound: { text: string; values: string[] };
    try {
      bound = bindNamedParameters(statement.sql, statement.parameters ?? []);
    } catch (error) {
      setStatus(statement, 'FAILED', `ERROR: ${(error as Error).message}`);
      return;
    }
    const client = await connect();
    let destroy = false;
    try {
      statement.pid = (client as unknown as { processID: number }).processID;
      statement.startedAt = Date.now();
      if (statusOf(statement) !== 'PICKED') return;
      setStatus(statement, 'STARTED');
      if (statement.fault?.kind === 'fail') {
        await delay(10);
        if (statusOf(statement) === 'STARTED') setStatus(statement, 'FAILED', statement.fault.message);
        return;
      }
      if (statement.fault?.kind === 'timeout') {
        destroy = true;
        await client.query('SET statement_timeout = 50');
        await client.query('SELECT pg_sleep(2)');
      }
      if (statement.slowMs > 0) await client.query('SELECT pg_sleep($1)', [statement.slowMs / 1000]);
      const result = await client.query({ text: bound.text, values: bound.values, rowMode: 'array', types: RAW_TEXT });
      if (statusOf(statement) !== 'STARTED') return;
      const fields = result.fields ?? [];
      await learnTypeNames(client, fields.map((field) => field.dataTypeID));
      statement.hasResultSet = fields.length > 0;
      statement.columns = columnMetadata(fields, (oid) => typeNames.get(oid));
      statement.records = (result.rows as (string | null)[][]).map((row) => row.map((value, index) => fieldOf(value, fields[index]!.dataTypeID)));
      statement.resultRows = statement.hasResultSet ? result.rows.length : result.rowCount ?? 0;
      setStatus(statement, 'FINISHED');
    } catch (error) {
      destroy = true;
      if (statusOf(statement) === 'STARTED') setStatus(statement, 'FAILED', `ERROR: ${(error as Error).message}`);
    } finally {
      // A cancelled or timed-out backend is not reused: a late cancel must not hit the next statement.
      client.release(destroy || statusOf(statement) === 'ABORTED');
    }
  }

  async function connect(): Promise<PoolClient> {
    const client = await pool.connect();
    if (!prepared.has(client)) {
      await options.onConnect?.(client);
      prepared.add(client);
    }
    return client;
  }

  async function learnTypeNames(client: PoolClient, oids: number[]): Promise<void> {
    const unknown = [...new Set(oids)].filter((oid) => !knownType(oid) && !typeNames.has(oid));
    if (unknown.length === 0) return;
    const result = await client.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])', [unknown]);
    for (const row of result.rows) typeNames.set(row.oid, row.typname);
  }

  // ---- operations ---------------------------------------------------------------------------

  function executeStatement(body: Record<string, unknown>): object {
    const sql = body['Sql'];
    if (typeof sql !== 'string' || sql.trim() === '') throw new ServiceError('ValidationException', 'Sql is required and must not be empty.');
    const cluster = optionalString(body, 'ClusterIdentifier');
    const workgroup = optionalString(body, 'WorkgroupName');
    const dbUser = optionalString(body, 'DbUser');
    const secretArn = optionalString(body, 'SecretArn');
    const db = optionalString(body, 'Database');
    const token = optionalString(body, 'ClientToken');
    if ((cluster === null) === (workgroup === null)) throw new ServiceError('ValidationException', 'Either ClusterIdentifier or WorkgroupName must be specified, but not both.');
    if (dbUser !== null && workgroup !== null) throw new ServiceError('ValidationException', 'DbUser is not supported with WorkgroupName; use SecretArn or IAM identity authentication.');
    if (dbUser !== null && secretArn !== null) throw new ServiceError('ValidationException', 'Specify either SecretArn or DbUser, not both.');
    if (db === null) throw new ServiceError('ValidationException', 'Database is required.');
    if (cluster !== null && !clusters.has(cluster)) throw new ServiceError('ValidationException', `Cluster ${cluster} not found.`);
    if (workgroup !== null && !workgroups.has(workgroup)) throw new ServiceError('ValidationException', `Workgroup ${workgroup} not found.`);
    if (token !== null && (token.length < 1 || token.length > 64)) throw new ServiceError('ValidationException', 'ClientToken must be 1 to 64 characters.');
    const parameters = checkParameters(body['Parameters']);
    if (parameters) {
      try {
        bindNamedParameters(sql, parameters);
      } catch (error) {
        if (error instanceof ParameterError) throw new ServiceError('ValidationException', error.message);
        throw error;
      }
    }
    const fingerprint = JSON.stringify([sql, parameters, cluster, workgroup, dbUser, secretArn, db]);
    if (token !== null) {
      const existing = byToken.get(token);
      if (existing) {
        const previous = statements.get(existing)!;
        if (JSON.stringify([previous.sql, previous.parameters, previous.clusterIdentifier, previous.workgroupName, previous.dbUser, previous.secretArn, previous.database]) !== fingerprint) {
          throw new ServiceError('ValidationException', 'The ClientToken was already used with a different request.');
        }
        return executeAnswer(previous);
      }
    }
    const now = Date.now();
    const statement: StatementRecord = {
      id: randomUUID(), token, sql, parameters, database: db, clusterIdentifier: cluster, workgroupName: workgroup, dbUser, secretArn,
      status: 'SUBMITTED', error: null, pid: null, redshiftQueryId: nextQueryId++, createdAt: now, updatedAt: now, startedAt: null, finishedAt: null,
      slowMs, fault: faults.shift() ?? null, columns: null, records: null, hasResultSet: false, resultRows: -1,
    };
    statements.set(statement.id, statement);
    if (token !== null) byToken.set(token, statement.id);
    launch(statement);
    return executeAnswer(statement);
  }

  function executeAnswer(statement: StatementRecord): object {
    return {
      Id: statement.id,
      CreatedAt: statement.createdAt / 1000,
      Database: statement.database,
      ...(statement.clusterIdentifier ? { ClusterIdentifier: statement.clusterIdentifier } : {}),
      ...(statement.workgroupName ? { WorkgroupName: statement.workgroupName } : {}),
      ...(statement.dbUser ? { DbUser: statement.dbUser } : {}),
      ...(statement.secretArn ? { SecretArn: statement.secretArn } : {}),
    };
  }

  function find(body: Record<string, unknown>): StatementRecord {
    const id = body['Id'];
    if (typeof id !== 'string' || id === '') throw new ServiceError('ValidationException', 'Id is required.');
    const statement = statements.get(id);
    if (!statement) throw new ServiceError('ResourceNotFoundException', 'Query does not exist.', 400, { ResourceId: id });
    return statement;
  }

  function describeStatement(body: Record<string, unknown>): object {
    const statement = find(body);
    const done = statement.finishedAt !== null;
    return {
      Id: statement.id,
      Status: statement.status,
      QueryString: statement.sql,
      ...(statement.parameters ? { QueryParameters: statement.parameters } : {}),
      ...(statement.error ? { Error: statement.error } : {}),
      CreatedAt: statement.createdAt / 1000,
      UpdatedAt: statement.updatedAt / 1000,
      // Nanoseconds; -1 until the statement is done, as the Data API reports it.
      Duration: done && statement.startedAt !== null ? (statement.finishedAt! - statement.startedAt) * 1e6 : -1,
      HasResultSet: statement.hasResultSet,
      ResultRows: statement.status === 'FINISHED' ? statement.resultRows : -1,
      ResultSize: statement.status === 'FINISHED' ? Buffer.byteLength(toJson(statement.records ?? [])) : -1,
      ...(statement.pid !== null ? { RedshiftPid: statement.pid } : {}),
      RedshiftQueryId: statement.status === 'SUBMITTED' || statement.status === 'PICKED' ? 0 : statement.redshiftQueryId,
      Database: statement.database,
      ...(statement.clusterIdentifier ? { ClusterIdentifier: statement.clusterIdentifier } : {}),
      ...(statement.workgroupName ? { WorkgroupName: statement.workgroupName } : {}),
      ...(statement.dbUser ? { DbUser: statement.dbUser } : {}),
      ...(statement.secretArn ? { SecretArn: statement.secretArn } : {}),
    };
  }

  function getStatementResult(body: Record<string, unknown>): object {
    const statement = find(body);
    if (statement.status !== 'FINISHED' || !statement.hasResultSet) {
      throw new ServiceError('ResourceNotFoundException', 'Query does not have result. Please check query status with DescribeStatement.', 400, { ResourceId: statement.id });
    }
    const records = statement.records ?? [];
    const start = decodePageToken(body['NextToken'], statement.id, () => new ServiceError('ValidationException', 'The NextToken is not valid for this statement.'));
    const end = start + pageSize;
    return {
      Records: records.slice(start, end),
      ColumnMetadata: statement.columns ?? [],
      TotalNumRows: records.length,
      ...(end < records.length ? { NextToken: encodePageToken(statement.id, end) } : {}),
    };
  }

  async function cancelStatement(body: Record<string, unknown>): Promise<object> {
    const statement = find(body);
    const status = statement.status;
    if (status === 'FINISHED' || status === 'FAILED' || status === 'ABORTED') {
      throw new ServiceError('ValidationException', `Could not cancel a query that is already in ${status} state.`);
    }
    setStatus(statement, 'ABORTED');
    if (status === 'STARTED' && statement.pid !== null) await pool.query('SELECT pg_cancel_backend($1)', [statement.pid]);
    return { Status: true };
  }

  const HANDLERS: Record<RedshiftDataOperation, (body: Record<string, unknown>) => object | Promise<object>> = {
    ExecuteStatement: executeStatement,
    DescribeStatement: describeStatement,
    GetStatementResult: getStatementResult,
    CancelStatement: cancelStatement,
  };

  // ---- HTTP ---------------------------------------------------------------------------------

  const server = await serveJson<RedshiftDataOperation, RecordedCall>({
    targetPrefix: TARGET_PREFIX,
    operations: OPERATIONS,
    calls,
    requests,
    drops,
    throttle: (operation) => (throttles.take(operation) ? new ServiceError('ThrottlingException', 'Rate exceeded') : null),
    async answer(record) {
      const payload = await HANDLERS[record.operation](record.body);
      if (record.operation === 'DescribeStatement') record.reportedStatus = (payload as { Status: string }).Status;
      return payload;
    },
    serialize: toJson,
  });

  return {
    endpoint: server.endpoint,
    calls,
    requests,
    throttleNext(count = 1, operation) {
      throttles.add({ operation }, count);
    },
    failNext(message) {
      faults.push({ kind: 'fail', message });
    },
    slow(ms) {
      slowMs = Math.max(0, ms);
    },
    engineTimeout() {
      faults.push({ kind: 'timeout' });
    },
    dropNextConnection(dropOptions = {}) {
      drops.add({ when: 'after', ...dropOptions });
    },
    statements: () => [...statements.values()].map(snapshot),
    forget: (id) => void statements.delete(id),
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      const busy = [...statements.values()].filter((statement) => statement.status === 'STARTED' && statement.pid !== null);
      for (const statement of busy) {
        setStatus(statement, 'ABORTED');
        await pool.query('SELECT pg_cancel_backend($1)', [statement.pid]).catch(() => undefined);
      }
      await Promise.allSettled([...running]);
      await server.close();
      await pool.end();
    },
  };
}

/** Every value as the text PostgreSQL sent: the fields module decides the Data API shape. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/** The status now (a call TypeScript does not narrow across awaits). */
function statusOf(statement: EmulatedStatement): StatementStatus {
  return statement.status;
}

function snapshot(statement: StatementRecord): EmulatedStatement {
  const { id, token, sql, parameters, database, clusterIdentifier, workgroupName, dbUser, secretArn, status, error, pid, redshiftQueryId, createdAt, updatedAt, startedAt, finishedAt } = statement;
  return { id, token, sql, parameters, database, clusterIdentifier, workgroupName, dbUser, secretArn, status, error, pid, redshiftQueryId, createdAt, updatedAt, startedAt, finishedAt };
}

function optionalString(body: Record<string, unknown>, key: string): string | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '') throw new ServiceError('ValidationException', `${key} must be a non-empty string.`);
  return value;
}

function checkParameters(value: unknown): SqlParameterJson[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length === 0) throw new ServiceError('ValidationException', 'Parameters must contain at least 1 item.');
  const seen = new Set<string>();
  return value.map((item: unknown) => {
    const { name, value: text } = (item ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || !PARAMETER_NAME.test(name)) throw new ServiceError('ValidationException', `Parameter name ${String(name)} must match [0-9a-zA-Z_]+.`);
    if (typeof text !== 'string' || text.length === 0) throw new ServiceError('ValidationException', `Parameter ${name} must have a value of at least 1 character.`);
    if (seen.has(name)) throw new ServiceError('ValidationException', `Parameter ${name} is specified more than once.`);
    seen.add(name);
    return { name, value: text };
  });
}
