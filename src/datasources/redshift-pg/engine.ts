import { hash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import pg, { type FieldDef, type PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import type { Logger } from 'pino';
import { parameterText } from '../../sql/literals';
import type { CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import type { StreamingEngine, StreamOptions } from '../streams';
import type { ExecuteOptions, QueryResult, QueryStats, Row, RowValue } from '../types';
import { trackedStream } from '../shared/tracked-stream';
import { bindParameters, EngineLifecycle, selectOneHealth } from '../shared/lifecycle';
import { uniqueNames } from '../shared/row-names';
import { QueryStop, type StopReason } from '../shared/stop';
import { ENGINE_NAME, isConnectionError, toEngineError } from './errors';
import { redshiftTypeParsers } from './type-parsers';

export type RedshiftPgLogger = Pick<Logger, 'debug' | 'info' | 'warn'>;

export interface RedshiftPgEngineOptions {
  /** A pool to use (the engine takes it over: `close()` ends it) or the config to make one. */
  readonly pool: pg.Pool | pg.PoolConfig;
  /** Server-side `statement_timeout` set on every connection, in ms (a backstop under the per-query deadline). */
  readonly statementTimeoutMs?: number;
  /**
   * Runs once on every new connection before its first query: session settings the target needs.
   * Real Redshift needs none; PostgreSQL standing in for Redshift in tests takes
   * `SET standard_conforming_strings = off` here, so it lexes strings as Redshift does.
   */
  readonly onConnect?: (client: PoolClient) => Promise<void>;
  readonly logger: RedshiftPgLogger;
  /** After a cancel, how long to wait for the query to stop before dropping the connection anyway (default 2000 ms). */
  readonly cancelGraceMs?: number;
}

export interface RedshiftPgQueryStats extends QueryStats {
  /** The server process that ran the query (`pg_backend_pid()`; `PID` in Redshift's STV/SYS tables). */
  readonly backendPid: number | null;
}

export interface RedshiftPgQueryResult extends QueryResult {
  readonly stats: RedshiftPgQueryStats;
}

export interface RedshiftPgEngine extends StreamingEngine {
  execute(query: CompiledQuery, options?: ExecuteOptions): Promise<RedshiftPgQueryResult>;
}

/**
 * Redshift over the PostgreSQL wire: a `pg.Pool`, one checked-out connection per query, the
 * compiled `$N` SQL with every value sent as its canonical text (the CASTs in the SQL decide the
 * types, as with the Data API). A caller's abort or deadline cancels the running query on the
 * server (`pg_cancel_backend` from a separate connection) and drops the connection, so a late
 * cancel can never hit the next query that would have reused it.
 */
export function createRedshiftPgEngine(options: RedshiftPgEngineOptions): RedshiftPgEngine {
  return new RedshiftPgAdapter(options);
}

/**
 * Statements are prepared on each connection under a name derived from their text, so the server
 * parses and plans a query once per connection, not per request (the same round trip either
 * way). The connections are recycled after `MAX_USES` queries, which bounds what a connection
 * keeps prepared however varied the queries.
 */
function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (name === undefined) preparedNames.set(text, (name = `lakegate_${hash('sha1', text)}`));
  return name;
}

/** Names of recent statement texts: the same few statements recur request after request. */
const preparedNames = new LRUCache<string, string>({ max: 1_000 });

export const MAX_USES = 10_000;

/** Rows a streamed query reads from its cursor at a time. */
const CURSOR_BATCH_ROWS = 2_000;

class RedshiftPgAdapter implements RedshiftPgEngine {
  readonly name = ENGINE_NAME;
  readonly dialect = 'redshift-pg';
  readonly capabilities = { cancellable: true, reportsBytesScanned: false, streams: true };

  private readonly pool: pg.Pool;
  private readonly logger: RedshiftPgLogger;
  private readonly prepared = new WeakSet<PoolClient>();
  private readonly cancelGraceMs: number;
  private readonly lifecycle = new EngineLifecycle(ENGINE_NAME, 'Redshift');

  constructor(private readonly options: RedshiftPgEngineOptions) {
    this.pool = isPool(options.pool) ? options.pool : new pg.Pool({ maxUses: MAX_USES, ...options.pool });
    this.logger = options.logger;
    this.cancelGraceMs = options.cancelGraceMs ?? 2_000;
    const timeout = options.statementTimeoutMs;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0)) throw new RangeError(`statementTimeoutMs must be a positive integer, got ${timeout}`);
    // An idle connection the server drops emits 'error' on the pool; unheard, it would crash the process.
    this.pool.on('error', (error) => this.logger.warn({ engine: this.name, err: error.message }, 'redshift idle connection failed'));
  }

  execute(query: CompiledQuery, options: ExecuteOptions = {}): Promise<RedshiftPgQueryResult> {
    return this.lifecycle.track(this.run(query, options));
  }

  private async run(query: CompiledQuery, options: ExecuteOptions): Promise<RedshiftPgQueryResult> {
    this.lifecycle.admit(options);
    const values = bindParameters(this.name, () => query.params.map((param) => parameterText(param)));
    const queryId = randomUUID();
    const started = performance.now();
    const stop = new QueryStop(options, this.lifecycle.shutdownSignal, 'Redshift');
    try {
      const client = await this.acquire(stop, queryId);
      const backendPid = processId(client);
      const rows = await this.runOn(client, query.sql, values, stop, queryId);
      const stats = { queryId, durationMs: performance.now() - started, bytesScanned: null, rows: rows.length, backendPid };
      this.logger.debug({ engine: this.name, queryId, backendPid, rows: rows.length, durationMs: stats.durationMs }, 'redshift query finished');
      return { rows, stats };
    } finally {
      stop.dispose();
    }
  }

  /** A pooled connection, prepared (onConnect, statement_timeout) once; waiting for it stops when the query must. */
  private async acquire(stop: QueryStop, queryId: string): Promise<PoolClient> {
    const connecting = this.pool.connect();
    const outcome = await Promise.race([connecting.then((client) => ({ client }), (error: unknown) => ({ error })), stop.tripped.then((reason) => ({ reason }))]);
    if ('reason' in outcome) {
      connecting.then((client) => client.release(), () => undefined);
      throw new EngineError(outcome.reason.code, outcome.reason.message, this.name, queryId);
    }
    if ('error' in outcome) throw toEngineError(outcome.error, queryId);
    const client = outcome.client;
    if (this.prepared.has(client)) return client;
    try {
      if (this.options.statementTimeoutMs !== undefined) await client.query(`SET statement_timeout TO ${this.options.statementTimeoutMs}`);
      await this.options.onConnect?.(client);
      this.prepared.add(client);
      return client;
    } catch (error) {
      client.release(true);
      throw toEngineError(error, queryId);
    }
  }

  /** Runs the query on `client` and always gives the client back: destroyed after a cancel or a broken connection. */
  private async runOn(client: PoolClient, text: string, values: string[], stop: QueryStop, queryId: string): Promise<Row[]> {
    // A connection that dies while checked out emits 'error' on the client; pg-pool only listens while it is idle.
    let connectionError: Error | null = null;
    const onError = (error: Error): void => {
      connectionError = error;
    };
    client.on('error', onError);
    let destroy = false;
    try {
      const running = client.query({ name: preparedName(text), text, values, rowMode: 'array', types: redshiftTypeParsers });
      const outcome = await Promise.race([running.then((result) => ({ result }), (error: unknown) => ({ error })), stop.tripped.then((reason) => ({ reason }))]);
      if ('reason' in outcome) {
        destroy = true;
        await this.cancel(client, running, outcome.reason, queryId);
        throw new EngineError(outcome.reason.code, outcome.reason.message, this.name, queryId);
      }
      if ('error' in outcome) {
        destroy = connectionError !== null || isConnectionError(outcome.error);
        throw toEngineError(outcome.error, queryId);
      }
      return toRows(outcome.result.fields, outcome.result.rows as unknown[][]);
    } finally {
      client.removeListener('error', onError);
      client.release(destroy || connectionError !== null);
    }
  }

  /**
   * Cancels the query on the server: `pg_cancel_backend(pid)` from a separate, short-lived
   * connection (the pool may be full, and the query's own connection is busy), then waits a moment
   * for the query to end. Best effort: the connection is destroyed afterwards anyway.
   */
  private async cancel(client: PoolClient, running: Promise<unknown>, reason: StopReason, queryId: string): Promise<void> {
    const pid = processId(client);
    if (pid === null) return;
    const canceller = new pg.Client({ ...this.pool.options, connectionTimeoutMillis: this.cancelGraceMs });
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
      const ended = running.then(() => true, () => true);
      const settled = await Promise.race([ended, new Promise<false>((resolve) => setTimeout(resolve, this.cancelGraceMs, false).unref())]);
      this.logger.info({ engine: this.name, queryId, backendPid: pid, reason: reason.code, stopped: settled }, 'redshift query cancelled');
    } catch (error) {
      this.logger.warn({ engine: this.name, queryId, backendPid: pid, reason: reason.code, err: (error as Error).message }, 'could not cancel the redshift query');
    } finally {
      canceller.end().catch(() => undefined);
    }
  }

  /**
   * A server-side cursor (`pg-cursor`) on a pooled connection, read 2,000 rows at a time as the
   * reader asks. An abort cancels a read in flight as `execute` cancels its query (the connection
   * is then dropped); a reader that breaks off between reads closes the cursor. The connection
   * goes back to the pool however the stream ends.
   */
  stream(query: CompiledQuery, options: StreamOptions = {}): AsyncIterable<readonly Row[]> {
    return trackedStream(this.lifecycle, options, () => this.cursorBatches(query, options));
  }

  private async* cursorBatches(query: CompiledQuery, options: StreamOptions): AsyncGenerator<readonly Row[]> {
    const values = bindParameters(this.name, () => query.params.map((param) => parameterText(param)));
    const queryId = randomUUID();
    const stop = new QueryStop(options, this.lifecycle.shutdownSignal, 'Redshift');
    let connectionError: Error | null = null;
    const onError = (error: Error): void => {
      connectionError = error;
    };
    let client: PoolClient | null = null;
    let cursor: Cursor<unknown[]> | null = null;
    let destroy = false;
    let finished = false;
    try {
      client = await this.acquire(stop, queryId);
      client.on('error', onError);
      options.onFacts?.({ queryId, bytesScanned: null });
      cursor = client.query(new Cursor<unknown[]>(query.sql, values, { rowMode: 'array', types: redshiftTypeParsers }));
      for (;;) {
        const reading = readBatch(cursor);
        const outcome = await Promise.race([reading.then((batch) => ({ batch }), (error: unknown) => ({ error })), stop.tripped.then((reason) => ({ reason }))]);
        if ('reason' in outcome) {
          destroy = true;
          await this.cancel(client, reading, outcome.reason, queryId);
          throw new EngineError(outcome.reason.code, outcome.reason.message, this.name, queryId);
        }
        if ('error' in outcome) {
          destroy = connectionError !== null || isConnectionError(outcome.error);
          throw toEngineError(outcome.error, queryId);
        }
        if (outcome.batch.rows.length === 0) {
          finished = true;
          return;
        }
        yield toRows(outcome.batch.fields, outcome.batch.rows);
      }
    } finally {
      stop.dispose();
      // A reader that broke off between reads leaves the cursor open on the server: close it (or drop the connection).
      if (client && cursor && !finished && !destroy) destroy = !(await closeCursor(cursor));
      client?.removeListener('error', onError);
      client?.release(destroy || connectionError !== null);
    }
  }

  async health(): Promise<boolean> {
    if (this.lifecycle.closed) return false;
    return selectOneHealth(this, this.logger, 5_000, 'redshift health check failed');
  }

  /** Cancels the queries still running (each rejects with ENGINE_UNAVAILABLE), then ends the pool. */
  async close(): Promise<void> {
    if (await this.lifecycle.close()) await this.pool.end();
  }
}

/** The next rows of `cursor`, with the result's fields (for the column names; none once the cursor is done). */
function readBatch(cursor: Cursor<unknown[]>): Promise<{ rows: unknown[][]; fields: readonly FieldDef[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(CURSOR_BATCH_ROWS, (error, rows, result) => (error ? reject(error) : resolve({ rows, fields: (result as typeof result | undefined)?.fields ?? [] })));
  });
}

/** Closes a cursor left open; false when that failed or took longer than a second (the connection should be dropped). */
async function closeCursor(cursor: Cursor<unknown[]>): Promise<boolean> {
  const closing = cursor.close().then(() => true, () => false);
  return Promise.race([closing, new Promise<false>((resolve) => setTimeout(resolve, 1_000, false).unref())]);
}

/** Rows keyed by column name; a repeated name gets `_2`, `_3`, ... so no value is lost. */
function toRows(fields: readonly FieldDef[], rows: readonly unknown[][]): Row[] {
  const names = uniqueNames(fields.map((field) => field.name));
  return rows.map((values) => {
    const row: Record<string, RowValue> = {};
    names.forEach((name, index) => {
      row[name] = (values[index] ?? null) as RowValue;
    });
    return row;
  });
}

/** A Pool by its methods, not `instanceof`: a pool made by another copy of `pg` is still a pool. */
function isPool(pool: pg.Pool | pg.PoolConfig): pool is pg.Pool {
  const candidate = pool as Partial<pg.Pool>;
  return typeof candidate.connect === 'function' && typeof candidate.end === 'function' && typeof candidate.query === 'function';
}

/** The server process id pg learnt at connect (BackendKeyData); not in @types/pg. */
function processId(client: PoolClient): number | null {
  const pid = (client as unknown as { processID?: number | null }).processID;
  return typeof pid === 'number' ? pid : null;
}
