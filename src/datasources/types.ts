import type { CompiledQuery } from '../sql/types';
import type { EngineError } from './errors';

/** A row as engines hand it on: JSON-like values, bigint/decimal as strings, no engine objects. */
export type RowValue = string | number | boolean | null | readonly RowValue[] | { readonly [key: string]: RowValue };
export type Row = Readonly<Record<string, RowValue>>;

/** How the result cache answered: from a fresh entry, by running the query, from a stale entry (refreshed behind it), or by waiting for an identical query in flight. */
export type CacheOutcome = 'hit' | 'miss' | 'stale' | 'shared';

export interface QueryStats {
  readonly queryId: string;
  readonly durationMs: number;
  /** Bytes the engine scanned, where the engine reports it (Athena); null otherwise. */
  readonly bytesScanned: number | null;
  readonly rows: number;
  /** Set by the result cache when the query went through it. */
  readonly cache?: CacheOutcome;
  /** Age of the cached answer (0 for one just computed). */
  readonly ageMs?: number;
}

export interface QueryResult {
  readonly rows: readonly Row[];
  readonly stats: QueryStats;
}

/** Whether, and for how long, the result cache may keep a query's answer; absent: not cached. */
export interface CachePolicy {
  /** How long an answer stays fresh. */
  readonly ttlMs: number;
  /** Run on the engine even when a fresh answer is cached, and store the new one (scheduled refresh). */
  readonly refresh?: boolean;
  /**
   * Serve only what starts no engine query — a cached answer (fresh, or stale as usual) or one an
   * identical query already in flight on this replica produces — else reject with NOT_CACHED.
   * How a caller that may start nothing (over a budget) still gets what costs nothing.
   */
  readonly cachedOnly?: boolean;
}

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  /** Epoch milliseconds after which the engine query is cancelled and QUERY_TIMEOUT raised. */
  readonly deadline?: number;
  readonly cache?: CachePolicy;
}

export interface EngineCapabilities {
  readonly cancellable: boolean;
  readonly reportsBytesScanned: boolean;
  /** The engine implements `ResumableEngine` (detach from a long-running query, resume it later). */
  readonly resumable?: boolean;
  /** The engine implements `PagedEngine` (later pages read from the first page's engine result, see pages.ts). */
  readonly resultPages?: boolean;
  /** The engine implements `StreamingEngine` (a result read in batches at constant memory, see streams.ts). */
  readonly streams?: boolean;
}

/** The narrow interface every engine adapter implements; the router reads capabilities, not names. */
export interface Engine {
  readonly name: string;
  readonly dialect: string;
  readonly capabilities: EngineCapabilities;
  execute(query: CompiledQuery, options?: ExecuteOptions): Promise<QueryResult>;
  health(): Promise<boolean>;
  close(): Promise<void>;
}

/** A query left running on the engine when the caller stopped waiting for it (see `ResumableEngine`). */
export type Detached = { readonly running: true; readonly queryId: string };

/** Options of the detachable calls: those of `execute`, plus when to stop waiting (epoch ms). */
export type DetachableOptions = ExecuteOptions & {
  readonly detachAt: number;
  /**
   * The caller's abort only ends this wait (rejecting with QUERY_CANCELLED) and leaves the engine
   * query running, for a query others may be waiting for too; default false (abort stops it).
   */
  readonly keepRunningOnAbort?: boolean;
};

/** One look at an engine query's state, without waiting or fetching results. */
export type QueryProbe =
  | { readonly state: 'running' }
  | { readonly state: 'succeeded' }
  | { readonly state: 'failed'; readonly error: EngineError };

/**
 * An engine whose queries can outlive one wait: started (or waited for) until `detachAt`, then
 * left running and picked up again by id — by this replica or another — with `resume`.
 */
export interface ResumableEngine extends Engine {
  /** Starts the query and waits until `detachAt` (epoch ms); if it is still running then, resolves `Detached` WITHOUT stopping it. Abort/deadline behave as in execute (they stop it). */
  executeDetachable(query: CompiledQuery, options: DetachableOptions): Promise<QueryResult | Detached>;
  /** Waits again for an engine query started earlier (by any replica), same outcome shape; fetches its results when it succeeded. */
  resume(queryId: string, options: DetachableOptions): Promise<QueryResult | Detached>;
  /** Stops an engine query by id (best effort, idempotent). */
  stopQuery(queryId: string): Promise<void>;
  /** One status call for an engine query started earlier (by any replica); rejects with an EngineError when the engine cannot tell. */
  probe(queryId: string): Promise<QueryProbe>;
}

/** A resumable engine whose calls resolve to its own, richer result type (its stats). */
export interface ResumableEngineOf<R extends QueryResult> extends ResumableEngine {
  execute(query: CompiledQuery, options?: ExecuteOptions): Promise<R>;
  executeDetachable(query: CompiledQuery, options: DetachableOptions): Promise<R | Detached>;
  resume(queryId: string, options: DetachableOptions): Promise<R | Detached>;
}

/**
 * True when `engine` says it is resumable (`capabilities.resumable`) and really has the methods: a
 * wrapper that copies the capabilities but not the extra methods (e.g. `forwardingEngine`) is not.
 */
export function isResumable(engine: Engine): engine is ResumableEngine {
  const candidate = engine as Partial<ResumableEngine>;
  return engine.capabilities.resumable === true
    && typeof candidate.executeDetachable === 'function'
    && typeof candidate.resume === 'function'
    && typeof candidate.stopQuery === 'function'
    && typeof candidate.probe === 'function';
}

/** True when a detachable call left the query running instead of returning its result. */
export function isDetached(outcome: QueryResult | Detached): outcome is Detached {
  return (outcome as Partial<Detached>).running === true;
}
