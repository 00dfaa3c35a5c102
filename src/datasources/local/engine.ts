import { randomUUID } from 'node:crypto';
import { BIGINT, BOOLEAN, DOUBLE, DuckDBInstance, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import type { GlueTable } from '../../catalog/types';
import type { BoundParam, CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import type { Engine, ExecuteOptions, QueryResult, Row } from '../types';
import { onAbort } from '../shared/abort';
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
  private closed = false;

  constructor(private readonly instance: DuckDBInstance) {}

  async execute(query: CompiledQuery, options: ExecuteOptions = {}): Promise<QueryResult> {
    if (this.closed) throw new EngineError('ENGINE_UNAVAILABLE', 'the local engine is shut down', this.name);
    if (options.signal?.aborted) throw new EngineError('QUERY_CANCELLED', 'the query was cancelled', this.name);
    if (options.deadline !== undefined && Date.now() >= options.deadline) {
      throw new EngineError('QUERY_TIMEOUT', 'the query exceeded its time limit before it started', this.name);
    }
    const queryId = randomUUID();
    const started = performance.now();
    const connection = await this.instance.connect();
    const stop = interruptOn(connection, options);
    try {
      const reader = await connection.runAndReadAll(query.sql, query.params.map((param) => param.value), query.params.map(bindingType));
      const rows = reader.getRowObjectsJson() as Row[];
      return { rows, stats: { queryId, durationMs: performance.now() - started, bytesScanned: null, rows: rows.length } };
    } catch (error) {
      throw stop.reason() ?? new EngineError('QUERY_FAILED', (error as Error).message, this.name, queryId);
    } finally {
      stop.dispose();
      connection.closeSync();
    }
  }

  async health(): Promise<boolean> {
    if (this.closed) return false;
    const connection = await this.instance.connect();
    try {
      await connection.run('SELECT 1');
      return true;
    } finally {
      connection.closeSync();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.instance.closeSync();
  }
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

/** Interrupts the connection when the caller aborts or the deadline passes, and says which. */
function interruptOn(connection: DuckDBConnection, options: ExecuteOptions) {
  let reason: EngineError | null = null;
  const interrupt = (error: EngineError): void => {
    reason ??= error;
    connection.interrupt();
  };
  const forgetAbort = options.signal ? onAbort(options.signal, () => interrupt(new EngineError('QUERY_CANCELLED', 'the query was cancelled', 'local'))) : undefined;
  const timer = options.deadline === undefined
    ? undefined
    : setTimeout(() => interrupt(new EngineError('QUERY_TIMEOUT', 'the query exceeded its time limit', 'local')), Math.max(0, options.deadline - Date.now()));
  return {
    reason: () => reason,
    dispose: () => {
      clearTimeout(timer);
      forgetAbort?.();
    },
  };
}
