import { EngineError } from '../../src/datasources/errors';
import { onAbort } from '../../src/datasources/shared/abort';
import type {
  DetachableOptions, Detached, Engine, ExecuteOptions, QueryProbe, QueryResult, ResumableEngine,
} from '../../src/datasources/types';
import type { CompiledQuery } from '../../src/sql/types';

/** One call the engine received, with the options it was given. */
export interface EngineCall {
  readonly method: 'execute' | 'executeDetachable' | 'resume' | 'stopQuery' | 'probe';
  readonly sql: string;
  readonly options: ExecuteOptions | DetachableOptions | undefined;
}

/**
 * A small real engine for testing what sits above the engine boundary: it answers every query
 * with one row naming the call that produced it, counts its calls, can hold them until released
 * (so identical requests overlap), fail the next ones, or pad its rows to a size. It honours the
 * abort signal and the deadline as adapters do (QUERY_CANCELLED, QUERY_TIMEOUT).
 */
export class CountingEngine implements Engine {
  readonly dialect = 'duckdb';
  readonly capabilities: Engine['capabilities'] = { cancellable: true, reportsBytesScanned: false };
  readonly calls: EngineCall[] = [];
  /** Characters of padding per row (to make answers a given size). */
  padding = 0;
  private held: { promise: Promise<void>; release: () => void } | null = null;
  private failures: EngineError[] = [];

  constructor(readonly name = 'counting') {}

  /** Queries started from now on wait until `release()`. */
  hold(): void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
  }

  release(): void {
    this.held?.release();
    this.held = null;
  }

  /** The next `count` queries fail with `error` (after any hold). */
  failNext(error: EngineError, count = 1): void {
    this.failures.push(...Array.from({ length: count }, () => error));
  }

  /** How many engine queries ran (execute and executeDetachable). */
  get queries(): number {
    return this.calls.filter((call) => call.method === 'execute' || call.method === 'executeDetachable').length;
  }

  execute(query: CompiledQuery, options: ExecuteOptions = {}): Promise<QueryResult> {
    return this.run('execute', query, options);
  }

  async health(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}

  protected async run(method: 'execute' | 'executeDetachable', query: CompiledQuery, options: ExecuteOptions): Promise<QueryResult> {
    const n = this.calls.push({ method, sql: query.sql, options });
    if (this.held) await this.wait(this.held.promise, options);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const row = { n, sql: query.sql, params: JSON.stringify(query.params), pad: 'x'.repeat(this.padding) };
    return { rows: [row], stats: { queryId: `${this.name}-q${n}`, durationMs: 1, bytesScanned: null, rows: 1 } };
  }

  protected record(method: EngineCall['method'], sql: string, options?: DetachableOptions): void {
    this.calls.push({ method, sql, options });
  }

  /** Waits for `until`, or rejects as an adapter does on abort or deadline. */
  private wait(until: Promise<void>, options: ExecuteOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const cancel = (): void => reject(new EngineError('QUERY_CANCELLED', 'the query was cancelled', this.name));
      if (options.signal?.aborted) return cancel();
      const forgetAbort = options.signal ? onAbort(options.signal, cancel) : undefined;
      const timer = options.deadline === undefined
        ? undefined
        : setTimeout(() => reject(new EngineError('QUERY_TIMEOUT', 'the query exceeded its time limit', this.name)), Math.max(0, options.deadline - Date.now()));
      void until.then(() => {
        clearTimeout(timer);
        forgetAbort?.();
        resolve();
      });
    });
  }
}

/**
 * The counting engine, resumable: `executeDetachable` answers like `execute` unless `detachNext()`
 * was called, when it answers that the query is still running; resume/stop/probe are counted.
 */
export class CountingResumableEngine extends CountingEngine implements ResumableEngine {
  override readonly capabilities: Engine['capabilities'] = { cancellable: true, reportsBytesScanned: false, resumable: true };
  private detaching = 0;

  detachNext(count = 1): void {
    this.detaching += count;
  }

  async executeDetachable(query: CompiledQuery, options: DetachableOptions): Promise<QueryResult | Detached> {
    if (this.detaching === 0) return this.run('executeDetachable', query, options);
    this.detaching -= 1;
    this.record('executeDetachable', query.sql, options);
    return { running: true, queryId: `${this.name}-running-${this.calls.length}` };
  }

  async resume(queryId: string, options: DetachableOptions): Promise<QueryResult | Detached> {
    this.record('resume', queryId, options);
    return { rows: [{ resumed: queryId }], stats: { queryId, durationMs: 1, bytesScanned: null, rows: 1 } };
  }

  async stopQuery(queryId: string): Promise<void> {
    this.record('stopQuery', queryId);
  }

  async probe(queryId: string): Promise<QueryProbe> {
    this.record('probe', queryId);
    return { state: 'running' };
  }
}
