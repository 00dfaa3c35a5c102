import type { Logger } from 'pino';
import { EngineError } from '../errors';
import type { Engine, ExecuteOptions } from '../types';

/**
 * What every adapter does around its queries, whatever the engine: refuses a query that cannot
 * start (engine shut down, already cancelled, deadline passed), keeps the running ones so `close()`
 * can stop them (the shutdown signal) and wait for them, and says so only once.
 */
export class EngineLifecycle {
  private readonly shutdown = new AbortController();
  private readonly active = new Set<Promise<unknown>>();
  private closedFlag = false;

  /** `name` is the engine's (errors carry it); `label` is how messages name it (`Athena`, `Redshift`). */
  constructor(private readonly name: string, private readonly label: string) {}

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Aborts when the engine closes; each query's stop listens to it. */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  /** Throws the EngineError a query that may not start gets. */
  admit(options: ExecuteOptions): void {
    if (this.closedFlag) throw new EngineError('ENGINE_UNAVAILABLE', `the ${this.label} engine is shut down`, this.name);
    if (options.signal?.aborted) throw new EngineError('QUERY_CANCELLED', 'the query was cancelled', this.name);
    if (options.deadline !== undefined && Date.now() >= options.deadline) {
      throw new EngineError('QUERY_TIMEOUT', 'the query exceeded its time limit before it started', this.name);
    }
  }

  /** Keeps `running` until it settles, so `close()` can wait for it. */
  track<T>(running: Promise<T>): Promise<T> {
    this.active.add(running);
    const forget = (): void => {
      this.active.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  /** Stops the running queries and waits for them; false when the engine was closed already. */
  async close(): Promise<boolean> {
    if (this.closedFlag) return false;
    this.closedFlag = true;
    this.shutdown.abort();
    await Promise.allSettled([...this.active]);
    return true;
  }
}

/** Renders the query's parameters with `render`; a value it cannot render fails the query (QUERY_FAILED). */
export function bindParameters<T>(engine: string, render: () => T): T {
  try {
    return render();
  } catch (error) {
    throw new EngineError('QUERY_FAILED', `cannot bind the query parameters: ${(error as Error).message}`, engine);
  }
}

/** Health by a real round trip: `SELECT 1` must answer one row within `timeoutMs`; a failure is logged as `message`, not thrown. */
export async function selectOneHealth(engine: Engine, logger: Pick<Logger, 'warn'>, timeoutMs: number, message: string): Promise<boolean> {
  try {
    const result = await engine.execute({ sql: 'SELECT 1 AS ok', params: [] }, { deadline: Date.now() + timeoutMs });
    return result.rows.length === 1;
  } catch (error) {
    logger.warn({ engine: engine.name, err: (error as Error).message }, message);
    return false;
  }
}
