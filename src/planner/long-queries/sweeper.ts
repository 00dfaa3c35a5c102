import type { Logger } from 'pino';
import { isResumable, type Engine } from '../../datasources/types';
import type { RunningQueryRecord, RunningQueryStore } from './types';

export interface SweeperOptions {
  readonly store: RunningQueryStore;
  readonly engines: ReadonlyMap<string, Engine>;
  readonly intervalMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** Records looked at per sweep (default 50). */
  readonly batch?: number;
  /** How long the stop lock of one record holds (default 30 s): another replica retries after it. */
  readonly lockTtlMs?: number;
}

export interface Sweeper {
  /** One sweep now; resolves to the number of engine queries this replica stopped. */
  sweep(): Promise<number>;
  /** Ends the sweeps and waits for the one in progress. */
  stop(): Promise<void>;
}

/**
 * Every replica sweeps: records nobody asked about within the grace period are taken by exactly
 * one replica (the store's stop lock), which stops the engine query if it still runs. A failed
 * sweep (store unreachable) is logged and the next one tries again.
 */
export function startSweeper(options: SweeperOptions): Sweeper {
  const { intervalMs, logger } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<number> = Promise.resolve(0);
  let stopped = false;

  const sweep = (): Promise<number> => {
    current = sweepOnce(options).catch((error: unknown) => {
      logger.warn({ err: (error as Error).message }, 'long-query sweep failed; retrying at the next interval');
      return 0;
    });
    return current;
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void sweep().then(schedule), intervalMs);
    timer.unref();
  };
  schedule();
  return {
    sweep,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}

async function sweepOnce(options: SweeperOptions): Promise<number> {
  const { store, batch = 50, lockTtlMs = 30_000 } = options;
  let stoppedQueries = 0;
  for (const record of await store.abandoned(Date.now(), batch)) {
    if (!(await store.tryLockForStop(record.key, lockTtlMs))) continue;
    if (await stopAbandoned(record, options)) stoppedQueries += 1;
  }
  return stoppedQueries;
}

/** Stops the engine query unless it already ended (an uncollected result needs no stop). */
async function stopAbandoned(record: RunningQueryRecord, options: SweeperOptions): Promise<boolean> {
  const { engines, logger } = options;
  const fields = { engine: record.engine, queryId: record.queryId, startedAt: new Date(record.startedAt).toISOString() };
  const engine = engines.get(record.engine);
  if (!engine || !isResumable(engine)) {
    logger.warn(fields, 'cannot stop an abandoned long query: its engine is not configured on this replica');
    return false;
  }
  const probe = await engine.probe(record.queryId).catch(() => ({ state: 'running' as const }));
  if (probe.state !== 'running') return false;
  await engine.stopQuery(record.queryId);
  logger.info(fields, 'stopped a long query nobody asked for within the grace period');
  return true;
}
