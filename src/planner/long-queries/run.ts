import type { Logger } from 'pino';
import { EngineError } from '../../datasources/errors';
import { isDetached, type CachePolicy, type QueryResult, type ResumableEngine } from '../../datasources/types';
import type { CompiledQuery } from '../../sql/types';
import { requestKey } from './keys';
import type { LongQuerySettings, RunningQueryRecord, RunningQueryStore, StillRunning } from './types';

/** The long-query machinery a replica shares with its requests. */
export interface LongQueries {
  readonly store: RunningQueryStore;
  readonly settings: LongQuerySettings;
  readonly logger: Pick<Logger, 'warn'>;
}

/** What one engine query of a request brings: whose it is and how the request may end. */
export interface LongQueryRequest {
  /** The caller's entitlement fingerprint: part of the request key, and checked on pick-up. */
  readonly entitlement: string;
  readonly signal: AbortSignal;
  /** Bounds the wait when the store is unreachable and the request falls back to waiting it out. */
  readonly deadline: number;
  /** Passed to the engine calls that may be answered from the result cache. */
  readonly cache?: CachePolicy | undefined;
}

/**
 * Runs a query on a resumable engine so that it can outlive the request. The request key
 * (entitlement + SQL + parameters) finds a query an identical earlier request left running —
 * on any replica — and picks it up instead of starting another. A query still running after the
 * wait budget is recorded and answered as `StillRunning` (its handle); the engine query goes on.
 * The request that receives the result retires the record. When the store is unreachable the
 * request degrades to an ordinary wait bounded by its deadline, never to an error of its own.
 */
export async function runLongQuery(engine: ResumableEngine, query: CompiledQuery, request: LongQueryRequest, long: LongQueries): Promise<QueryResult | StillRunning> {
  const key = requestKey({ engine: engine.name, entitlement: request.entitlement, sql: query.sql, params: query.params });
  const began = Date.now();
  const detachAt = began + long.settings.waitMs;
  const running = await storeCall(long, 'look up', () => long.store.get(key));
  if (running === undefined) return engine.execute(query, { signal: request.signal, deadline: request.deadline, ...cacheOption(request) });
  if (running) return pickUp(engine, key, running, request, long, { began, detachAt });

  const startedAt = Date.now();
  const outcome = await engine.executeDetachable(query, { signal: request.signal, detachAt, ...cacheOption(request) });
  if (!isDetached(outcome)) return outcome;
  const start = { engine: engine.name, queryId: outcome.queryId, entitlement: request.entitlement, startedAt };
  const claim = await storeCall(long, 'record', () => long.store.claim(key, start, long.settings.graceMs));
  if (!claim) return waitWithinRequest(engine, outcome.queryId, request);
  // An identical request recorded its own query first: share that one, stop ours.
  if (!claim.created && claim.record.queryId !== outcome.queryId) await engine.stopQuery(outcome.queryId);
  return { running: true, record: claim.record, handle: claim.handle, waitedMs: Date.now() - began };
}

function cacheOption(request: LongQueryRequest): { cache?: CachePolicy } {
  return request.cache ? { cache: request.cache } : {};
}

/**
 * Waits again for a recorded query. The caller going away only ends this wait: others may be
 * waiting for the same query, and the grace period stops it when nobody is.
 */
async function pickUp(engine: ResumableEngine, key: string, record: RunningQueryRecord, request: LongQueryRequest, long: LongQueries, wait: { began: number; detachAt: number }): Promise<QueryResult | StillRunning> {
  await storeCall(long, 'extend', () => long.store.touch(key, long.settings.graceMs));
  let outcome: Awaited<ReturnType<ResumableEngine['resume']>>;
  try {
    outcome = await engine.resume(record.queryId, { signal: request.signal, detachAt: wait.detachAt, keepRunningOnAbort: true });
  } catch (error) {
    // The engine ended the query (failed, cancelled, timed out): a repeat starts afresh.
    if (error instanceof EngineError && error.code !== 'ENGINE_UNAVAILABLE' && !request.signal.aborted) await storeCall(long, 'retire', () => long.store.fail(key));
    throw error;
  }
  if (!isDetached(outcome)) {
    await storeCall(long, 'retire', () => long.store.complete(key));
    return outcome;
  }
  // Claim extends the record, or records the query again if a sweeper retired it meanwhile.
  const claim = await storeCall(long, 'extend', () => long.store.claim(key, record, long.settings.graceMs));
  if (!claim) return waitWithinRequest(engine, record.queryId, request);
  return { running: true, record: claim.record, handle: claim.handle, waitedMs: Date.now() - wait.began };
}

/** Without the store nobody could pick the query up later, so the request waits for it (up to its deadline). */
async function waitWithinRequest(engine: ResumableEngine, queryId: string, request: LongQueryRequest): Promise<QueryResult> {
  const outcome = await engine.resume(queryId, { signal: request.signal, deadline: request.deadline, detachAt: request.deadline });
  if (!isDetached(outcome)) return outcome;
  await engine.stopQuery(queryId);
  throw new EngineError('QUERY_TIMEOUT', 'the query exceeded its time limit', engine.name, queryId);
}

/** A store call whose failure degrades the request instead of failing it: logged, answered undefined. */
async function storeCall<T>(long: LongQueries, what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    long.logger.warn({ err: (error as Error).message }, `long-query store unreachable: could not ${what} a running query`);
    return undefined;
  }
}
