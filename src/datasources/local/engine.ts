import { randomUUID } from 'node:crypto';
import { BIGINT, BOOLEAN, DOUBLE, DuckDBInstance, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { GlueTable } from '../../catalog/types';
import type { BoundParam, CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import { onAbort } from '../shared/abort';
import { EngineLifecycle } from '../shared/lifecycle';
import { QueryStop } from '../shared/stop';
import { trackedStream } from '../shared/tracked-stream';
import type { StreamingEngine, StreamOptions } from '../streams';
import type { ExecuteOptions, QueryResult, Row } from '../types';
import { chunkRows } from './chunk-rows';
import { createViewSql, localFolder, type LakeLayout } from './views';

export interface LocalEngineOptions extends LakeLayout {
  readonly tables: readonly GlueTable[];
  readonly threads?: number;
  readonly memoryLimit?: string;
}

/**
 * The embedded engine: DuckDB over Parquet/JSON files in a local folder, one view per Glue
 * table. Each query gets its own connection so queries run side by side and one can be
 * interrupted without touching the others.
 */
export async function createLocalEngine(options: LocalEngineOptions): Promise<StreamingEngine> {
  const settings: Record<string, string> = {};
  if (options.threads) settings['threads'] = String(options.threads);
  if (options.memoryLimit) settings['memory_limit'] = options.memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', settings);
  const setup = await instance.connect();
  try {
    for (const table of options.tables) {
      const folder = localFolder(table, options);
      if (!folder) throw new Error(`table ${table.database}.${table.name}: location ${table.location} is not under ${options.s3Prefix}`);
      await setup.run(`CREATE SCHEMA IF NOT EXISTS "${table.database.replace(/"/g, '""')}"`);
      await setup.run(createViewSql(table, folder));
    }
  } finally {
    setup.closeSync();
  }
  return new LocalEngine(instance);
}

class LocalEngine implements StreamingEngine {
  readonly name = 'local';
  readonly dialect = 'duckdb';
  readonly capabilities = { cancellable: true, reportsBytesScanned: false, streams: true };
  private readonly lifecycle = new EngineLifecycle('local', 'local');

  constructor(private readonly instance: DuckDBInstance) {}

  async execute(query: CompiledQuery, options: ExecuteOptions = {}): Promise<QueryResult> {
    this.lifecycle.admit(options);
    return this.lifecycle.track(this.run(query, options));
  }

  private async run(query: CompiledQuery, options: ExecuteOptions): Promise<QueryResult> {
    const queryId = randomUUID();
    const started = performance.now();
    const stop = new QueryStop(options, this.lifecycle.shutdownSignal, 'local');
    try {
      const rows = await this.read(query, stop);
      return { rows, stats: { queryId, durationMs: performance.now() - started, bytesScanned: null, rows: rows.length } };
    } catch (error) {
      const reason = stop.stopReason;
      throw reason ? new EngineError(reason.code, reason.message, this.name, queryId) : new EngineError('QUERY_FAILED', (error as Error).message, this.name, queryId);
    } finally {
      stop.dispose();
    }
  }

  /** On a connection of its own, interrupted when the query must stop: the caller's abort, the deadline, or the engine closing. */
  private async read(query: CompiledQuery, stop: QueryStop): Promise<Row[]> {
    const connection = await this.instance.connect();
    try {
      // Stopped while connecting: `run` reports the stop's reason.
      if (stop.stopReason) throw new Error(stop.stopReason.message);
      const reading = connection.runAndReadAll(query.sql, ...bindings(query));
      const forgetInterrupt = onAbort(stop.signal, () => interruptUntilSettled(connection, reading));
      try {
        return (await reading).getRowObjectsJson() as Row[];
      } finally {
        forgetInterrupt();
      }
    } finally {
      connection.closeSync();
    }
  }

  /**
   * DuckDB's streaming result, read one data chunk (2,048 rows) at a time as the reader asks,
   * converted as `execute` converts rows. On a connection of its own, interrupted when the reader
   * aborts or the engine closes, and closed however the stream ends.
   */
  stream(query: CompiledQuery, options: StreamOptions = {}): AsyncIterable<readonly Row[]> {
    return trackedStream(this.lifecycle, options, () => this.chunks(query, options));
  }

  private async* chunks(query: CompiledQuery, options: StreamOptions): AsyncGenerator<readonly Row[]> {
    const queryId = randomUUID();
    const stop = new QueryStop(options, this.lifecycle.shutdownSignal, 'local');
    const connection = await this.instance.connect();
    let pending: Promise<unknown> = Promise.resolve();
    const forgetInterrupt = onAbort(stop.signal, () => interruptUntilSettled(connection, pending));
    const failed = (error: unknown): EngineError => {
      const reason = stop.stopReason;
      return reason ? new EngineError(reason.code, reason.message, this.name, queryId) : new EngineError('QUERY_FAILED', (error as Error).message, this.name, queryId);
    };
    try {
      if (stop.stopReason) throw new Error(stop.stopReason.message);
      options.onFacts?.({ queryId, bytesScanned: null });
      const starting = connection.stream(query.sql, ...bindings(query));
      pending = starting;
      const result = await starting.catch((error: unknown) => Promise.reject(failed(error)));
      const names = result.deduplicatedColumnNames();
      for (;;) {
        const fetching = result.fetchChunk();
        pending = fetching;
        const chunk = await fetching.catch((error: unknown) => Promise.reject(failed(error)));
        if (stop.stopReason) throw failed(null);
        if (!chunk || chunk.rowCount === 0) return;
        yield chunkRows(chunk, names);
      }
    } catch (error) {
      throw error instanceof EngineError ? error : failed(error);
    } finally {
      forgetInterrupt();
      stop.dispose();
      // A reader that broke off leaves the result unfinished: interrupt it before the connection goes.
      connection.interrupt();
      connection.closeSync();
    }
  }

  async health(): Promise<boolean> {
    if (this.lifecycle.closed) return false;
    return this.lifecycle.track(this.selectOne());
  }

  private async selectOne(): Promise<boolean> {
    const connection = await this.instance.connect();
    try {
      await connection.run('SELECT 1');
      return true;
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Interrupts the running queries and waits for them (a health check too) before closing the
   * database: a connection opened or used on a closed instance crashes the process.
   */
  async close(): Promise<void> {
    if (await this.lifecycle.close()) this.instance.closeSync();
  }
}

/** How often an interrupt is repeated until the query gives up. */
const INTERRUPT_RETRY_MS = 20;

/**
 * Interrupts `connection` now and again until `reading` settles: DuckDB forgets an interrupt that
 * comes before the query has begun (it may still be waiting for a worker thread).
 */
function interruptUntilSettled(connection: DuckDBConnection, reading: Promise<unknown>): void {
  connection.interrupt();
  const again = setInterval(() => connection.interrupt(), INTERRUPT_RETRY_MS);
  const stop = (): void => clearInterval(again);
  reading.then(stop, stop);
}

/** The query's values and the types they are bound as, as DuckDB's run and stream calls take them. */
function bindings(query: CompiledQuery): [DuckDBValue[], DuckDBType[]] {
  return [query.params.map((param) => param.value), query.params.map(bindingType)];
}

/**
 * The type a value is bound as, before the SQL's CAST gives it the column's type. Left to DuckDB,
 * a whole JS number binds as BIGINT, so `1e300` for a double column would fail as out of range.
 */
function bindingType({ value, type }: BoundParam): DuckDBType {
  if (typeof value === 'string') return VARCHAR;
  if (typeof value === 'boolean') return BOOLEAN;
  if (type.kind === 'int') return INTEGER;
  return type.kind === 'bigint' ? BIGINT : DOUBLE;
}
