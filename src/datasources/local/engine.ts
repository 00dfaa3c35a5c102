import { randomUUID } from 'node:crypto';
import { BIGINT, BOOLEAN, DOUBLE, DuckDBInstance, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import type { GlueTable } from '../../catalog/types';
import type { BoundParam, CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import { onAbort } from '../shared/abort';
import { EngineLifecycle } from '../shared/lifecycle';
import { QueryStop } from '../shared/stop';
import type { Engine, ExecuteOptions, QueryResult, Row } from '../types';
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
export async function createLocalEngine(options: LocalEngineOptions): Promise<Engine> {
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

class LocalEngine implements Engine {
  readonly name = 'local';
  readonly dialect = 'duckdb';
  readonly capabilities = { cancellable: true, reportsBytesScanned: false };
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
      const reading = connection.runAndReadAll(query.sql, query.params.map((param) => param.value), query.params.map(bindingType));
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
