/** What the caller knows when it starts an engine query that may outlive the request. */
export interface RunningQueryStart {
  /** Engine name (Engine.name), so a sweeper on any replica knows which adapter stops it. */
  readonly engine: string;
  /** The engine's own id (Athena QueryExecutionId): enough to poll, fetch results or stop. */
  readonly queryId: string;
  /** The caller's entitlement fingerprint; a pick-up must present the same one. */
  readonly entitlement: string;
  /** Epoch ms the engine query was started. */
  readonly startedAt: number;
}

/** A running engine query as every replica sees it. Never holds the SQL. */
export interface RunningQueryRecord extends RunningQueryStart {
  /** The request key (sha256 of entitlement + SQL + params) the record is stored under. */
  readonly key: string;
  /** Opaque, unguessable id handed to the client in QUERY_RUNNING. */
  readonly handle: string;
  /** Epoch ms after which nobody waits any more and a sweeper may stop the query. */
  readonly abandonAt: number;
}

export interface ClaimResult {
  /** True when this call recorded the query; false when another request/replica already had. */
  readonly created: boolean;
  readonly record: RunningQueryRecord;
  readonly handle: string;
}

/** Why a record left the running set: its result was taken, the engine failed it, or a sweeper stopped it unwatched. */
export type DoneOutcome = 'finished' | 'failed' | 'abandoned';

/** What a handle points at; `done` survives for a retention window after completion. */
export type HandleLookup =
  | { readonly state: 'running'; readonly record: RunningQueryRecord }
  | { readonly state: 'done'; readonly record: RunningQueryRecord; readonly outcome: DoneOutcome; readonly completedAt: number }
  | { readonly state: 'unknown' };

/**
 * The registry of engine queries that outlived their request: Redis when several replicas share
 * it, memory for one. Every call is atomic. It never holds SQL: only what is needed to poll,
 * fetch or stop the engine query, and the entitlement a pick-up must match.
 */
export interface RunningQueryStore {
  /** Record the engine query for `key`, or return the one another request/replica recorded (extending its grace). */
  claim(key: string, start: RunningQueryStart, graceMs: number): Promise<ClaimResult>;
  /** The running record for a request key: checked before starting, to pick up instead. */
  get(key: string): Promise<RunningQueryRecord | null>;
  /** What a handle points at: the running record, a retired one (`done`), or nothing. */
  lookup(handle: string): Promise<HandleLookup>;
  /** A waiter is still interested: abandonAt becomes now + graceMs (never earlier); false if no record. */
  touch(key: string, graceMs: number): Promise<boolean>;
  /** A request took the result: the record is retired (`finished`); a repeat runs afresh. */
  complete(key: string): Promise<boolean>;
  /** The engine failed or cancelled the query: the record is retired (`failed`). */
  fail(key: string): Promise<boolean>;
  /** Records whose abandonAt is at or before `now`, oldest first, at most `limit`. */
  abandoned(now: number, limit: number): Promise<RunningQueryRecord[]>;
  /** How many engine queries are recorded as running: every replica's when the store is shared (the metrics gauge). */
  countRunning(): Promise<number>;
  /** True for exactly one caller, and only while the record is still abandoned; the record is retired (`abandoned`) and the winner stops the query. */
  tryLockForStop(key: string, ttlMs: number): Promise<boolean>;
}

export interface RunningQueryStoreOptions {
  /** Namespace of every Redis key, so deployments and test runs do not collide (Redis only). */
  readonly prefix?: string;
  /** How long a record outlives its abandonAt before Redis drops it anyway (no sweeper alive). */
  readonly orphanTtlMs?: number;
  /** How long a handle still answers `done` after complete()/stop. */
  readonly doneRetentionMs?: number;
  /** Injectable clock (epoch ms) for tests; replicas' clocks only need to agree to within the grace. */
  readonly now?: () => number;
}

/** How long requests wait, and how long a query nobody asks about is kept. */
export interface LongQuerySettings {
  /** A request waits this long for a resumable engine's query, then answers QUERY_RUNNING with a handle. */
  readonly waitMs: number;
  /** A running query nobody has asked about (a repeat or queryStatus) for this long is stopped. */
  readonly graceMs: number;
}

/** What an unfinished query leaves the request with: the record every replica can pick it up by. */
export interface StillRunning {
  readonly running: true;
  readonly record: RunningQueryRecord;
  /** The handle to give the client (the record's, which may be another request's). */
  readonly handle: string;
  /** How long this request waited for it, ms. */
  readonly waitedMs: number;
}
