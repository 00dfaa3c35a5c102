import type { Logger } from 'pino';
import type { CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import { isDetached, type CachePolicy, type DetachableOptions, type Detached, type Engine, type ExecuteOptions, type QueryResult, type ResumableEngine } from '../types';
import { answerOf, resultOf } from './answer';
import { cacheKey } from './key';
import { MemoryTier } from './memory-tier';
import { SingleFlight, waitOn } from './single-flight';
import { CacheTiers } from './tiers';
import type { CachedAnswer, CacheSettings, CacheTierState, Clock, Found, ReplicaLock, SharedTier } from './types';

export interface ResultCacheOptions {
  readonly settings: CacheSettings;
  /** The tier replicas share (Redis); null: this replica's memory only. */
  readonly shared: SharedTier | null;
  readonly logger: Pick<Logger, 'warn'>;
  /** The clock freshness is judged by; default `Date.now`. */
  readonly now?: Clock;
}

/**
 * A flight's answer: from this replica's engine query (`miss`), another replica's (`shared`), or
 * one stored between the caller's look-up and the flight's start (`hit`).
 */
interface Computed {
  readonly answer: CachedAnswer;
  readonly outcome: 'miss' | 'shared' | 'hit';
}

/** Runs the engine query of a flight, under the flight's own signal (never a single caller's). */
type Run<D> = (signal: AbortSignal) => Promise<QueryResult | D>;

/** A flight's own signal (aborted when all its callers have left) and the deadline of the caller that started it. */
interface Flight {
  readonly signal: AbortSignal;
  readonly deadline: number | undefined;
}

/**
 * The result cache: answers engine calls that carry a cache policy from memory or the shared
 * tier while fresh, serves a stale answer while one background refresh runs, and makes
 * identical concurrent misses run one engine query — on this replica (a flight) and across
 * replicas (a lock in the shared tier). The shared query runs with the deadline of the caller
 * that started it. Calls without a policy pass straight through.
 */
export class ResultCache {
  private readonly tiers: CacheTiers;
  private readonly executions = new SingleFlight<Computed>();
  private readonly detachables = new SingleFlight<Computed | Detached>();
  private readonly now: Clock;

  constructor(private readonly options: ResultCacheOptions) {
    this.now = options.now ?? Date.now;
    const memory = new MemoryTier(options.settings.maxBytes);
    this.tiers = new CacheTiers(memory, options.shared, options.settings.staleWhileRevalidateMs, this.now);
  }

  state(): CacheTierState {
    return this.options.shared?.state() ?? 'memory';
  }

  async execute(engine: Engine, query: CompiledQuery, options: ExecuteOptions = {}): Promise<QueryResult> {
    const policy = options.cache;
    if (!policy) return engine.execute(query, options);
    const key = cacheKey(engine.name, query);
    // The shared query gets the request's deadline but not its signal: the flight aborts when every caller has left.
    const run = (signal: AbortSignal): Promise<QueryResult> => engine.execute(query, { signal, deadline: options.deadline });
    const cached = policy.refresh ? undefined : await this.tiers.lookup(key, policy);
    if (cached) return this.serve(cached, { key, policy, deadline: options.deadline, run });
    if (policy.cachedOnly && !this.executions.inFlight(key)) throw notCached(engine.name);
    const boarding = this.executions.board(key, (signal) => this.compute<never>(key, policy, { signal, deadline: options.deadline }, run), options.signal);
    const computed = await waitOn(boarding.promise, options.signal, cancelled(engine.name));
    return resultOf(computed.answer, boarding.joined ? 'shared' : computed.outcome, this.now());
  }

  /**
   * The detachable call of a resumable engine, cached too: a fresh answer starts nothing, and a
   * query that completes within the wait is stored. One that is still running at `detachAt` is
   * handed on as the engine left it (identical callers on this replica get the same query id).
   */
  async executeDetachable(engine: ResumableEngine, query: CompiledQuery, options: DetachableOptions): Promise<QueryResult | Detached> {
    const policy = options.cache;
    if (!policy) return engine.executeDetachable(query, options);
    const key = cacheKey(engine.name, query);
    const { signal: _signal, cache: _cache, ...waiting } = options;
    const deadline = options.deadline ?? options.detachAt;
    const cached = policy.refresh ? undefined : await this.tiers.lookup(key, policy);
    // A refresh does not detach: it is an ordinary query bounded by the request's wait.
    if (cached) return this.serve(cached, { key, policy, deadline, run: (signal) => engine.execute(query, { signal, deadline }) });
    if (policy.cachedOnly && !this.detachables.inFlight(key)) throw notCached(engine.name);
    const run = (signal: AbortSignal): Promise<QueryResult | Detached> => engine.executeDetachable(query, { ...waiting, signal });
    const boarding = this.detachables.board(key, (signal) => this.compute(key, policy, { signal, deadline }, run), options.signal);
    const outcome = await waitOn(boarding.promise, options.signal, cancelled(engine.name));
    if (!isComputed(outcome)) return outcome;
    return resultOf(outcome.answer, boarding.joined ? 'shared' : outcome.outcome, this.now());
  }

  /** A cached answer; a stale one starts the key's refresh behind it. */
  private serve(found: Found, refresh: { key: string; policy: CachePolicy; deadline: number | undefined; run: Run<never> }): QueryResult {
    if (found.freshness === 'stale') this.revalidate(refresh);
    return resultOf(found.answer, found.freshness === 'fresh' ? 'hit' : 'stale', this.now());
  }

  /**
   * One background refresh per key (none while a query for it is in flight here, and only the
   * replica holding the lock runs one). Not tied to the request that found the answer stale — its
   * abort must not stop the refresh — but given the same time budget.
   */
  private revalidate({ key, policy, deadline, run }: { key: string; policy: CachePolicy; deadline: number | undefined; run: Run<never> }): void {
    if (this.executions.inFlight(key)) return;
    const boarding = this.executions.board(key, (signal) => this.compute<never>(key, policy, { signal, deadline }, run));
    boarding.promise.catch((error: Error) => {
      this.options.logger.warn({ err: error.message }, 'result cache: background refresh failed; the stale answer is served until it expires');
    });
  }

  /**
   * A flight's work: take the cross-replica lock and run the engine query, storing a completed
   * answer (an error is not stored). A replica that finds the lock taken waits for the holder's
   * answer up to `lockWait` (and the deadline), then runs its own; so does one that cannot reach
   * the shared tier.
   */
  private async compute<D extends Detached>(key: string, policy: CachePolicy, flight: Flight, run: Run<D>): Promise<Computed | D> {
    const budget = flight.deadline === undefined ? 0 : flight.deadline - Date.now();
    const lock = await this.tiers.lock(key, Math.max(this.options.settings.lockWaitMs, budget));
    try {
      const ready = await this.answerReady(key, policy, lock, flight);
      if (ready) return ready;
      const result = await run(flight.signal);
      if (isDetached(result)) return result as D;
      const answer = answerOf(result, this.now());
      await this.tiers.store(key, answer, policy);
      return { answer, outcome: 'miss' };
    } finally {
      if (lock.kind === 'acquired') await lock.release();
    }
  }

  /**
   * An answer that needs no engine query after all: the one another replica holding the lock
   * computes, or — checked again once the lock is ours — one an identical flight stored after this
   * caller looked. A refresh takes only the former (an answer computed while it waited).
   */
  private async answerReady(key: string, policy: CachePolicy, lock: ReplicaLock, flight: Flight): Promise<Computed | undefined> {
    if (lock.kind === 'held') {
      const until = Math.min(Date.now() + this.options.settings.lockWaitMs, flight.deadline ?? Infinity);
      const theirs = await this.tiers.awaitOtherReplica(key, policy, until, flight.signal);
      if (theirs) return { answer: theirs, outcome: 'shared' };
    }
    if (policy.refresh) return undefined;
    const stored = await this.tiers.lookup(key, policy);
    return stored?.freshness === 'fresh' ? { answer: stored.answer, outcome: 'hit' } : undefined;
  }
}

function isComputed(outcome: Computed | Detached): outcome is Computed {
  return 'answer' in outcome;
}

export function notCached(engine: string): EngineError {
  return new EngineError('NOT_CACHED', 'no cached answer, and this call may not start an engine query', engine);
}

function cancelled(engine: string): () => EngineError {
  return () => new EngineError('QUERY_CANCELLED', 'the query was cancelled', engine);
}
