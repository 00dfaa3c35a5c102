import { EngineError } from '../../datasources/errors';
import { isResumable, type Engine } from '../../datasources/types';
import { LakegateError } from '../../query/errors';
import { apiCode } from '../engine-errors';
import type { LongQueries } from './run';
import type { DoneOutcome, RunningQueryRecord } from './types';

export type QueryStatusState = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'STOPPED';

/** What `queryStatus(handle)` answers. */
export interface QueryStatusReport {
  readonly handle: string;
  readonly state: QueryStatusState;
  readonly engine: string;
  readonly queryId: string;
  /** ISO-8601 (UTC). */
  readonly startedAt: string;
  readonly message: string;
}

export interface StatusRequest {
  readonly entitlement: string;
  readonly engines: ReadonlyMap<string, Engine>;
}

/** Handles are 22 base64url characters; anything far from that is not looked up at all. */
const HANDLE_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The state of the engine query behind a handle, for a caller with the entitlement that started
 * it. A handle that never existed, has expired, or was issued to a caller with other access gets
 * one and the same error, so a handle reveals nothing to anyone else. Asking counts as waiting:
 * it extends the grace period of a running query.
 */
export async function queryStatus(handle: string, request: StatusRequest, long: LongQueries | null): Promise<QueryStatusReport> {
  if (!long || !HANDLE_SHAPE.test(handle)) throw unknownHandle();
  const found = await long.store.lookup(handle).catch(storeUnreachable);
  if (found.state === 'unknown' || found.record.entitlement !== request.entitlement) throw unknownHandle();
  if (found.state === 'done') return report(handle, found.record, ...ended(found.outcome, long.settings.graceMs));

  const { record } = found;
  await long.store.touch(record.key, long.settings.graceMs).catch(storeUnreachable);
  const engine = request.engines.get(record.engine);
  if (!engine || !isResumable(engine)) throw new LakegateError('ENGINE_UNAVAILABLE', `the ${record.engine} engine is not configured on this server`);
  const probe = await engine.probe(record.queryId).catch((error: unknown) => {
    if (error instanceof EngineError) throw new LakegateError(apiCode(error.code), error.message, { engine: error.engine, queryId: error.queryId });
    throw error;
  });
  const graceSeconds = Math.round(long.settings.graceMs / 1000);
  switch (probe.state) {
    case 'running':
      return report(handle, record, 'RUNNING', `still running: ask again, or repeat the request, within ${graceSeconds} s or it is stopped`);
    case 'succeeded':
      return report(handle, record, 'SUCCEEDED', 'finished: repeat the request to read the result (it is not run again)');
    case 'failed':
      return report(handle, record, 'FAILED', probe.error.message);
  }
}

function ended(outcome: DoneOutcome, graceMs: number): [QueryStatusState, string] {
  switch (outcome) {
    case 'finished':
      return ['SUCCEEDED', 'finished, and its result was delivered; repeating the request runs it again'];
    case 'failed':
      return ['FAILED', 'the engine failed or cancelled the query; repeating the request runs it again'];
    case 'abandoned':
      return ['STOPPED', `nobody asked for it for ${Math.round(graceMs / 1000)} s, so it was stopped (or its result dropped); repeating the request runs it again`];
  }
}

function report(handle: string, record: RunningQueryRecord, state: QueryStatusState, message: string): QueryStatusReport {
  return { handle, state, engine: record.engine, queryId: record.queryId, startedAt: new Date(record.startedAt).toISOString(), message };
}

function unknownHandle(): LakegateError {
  return new LakegateError('BAD_USER_INPUT', 'unknown query handle: it never existed, has expired, or was issued to a caller with other permissions');
}

function storeUnreachable(): never {
  throw new LakegateError('ENGINE_UNAVAILABLE', 'the long-query store is unreachable; try again shortly');
}
