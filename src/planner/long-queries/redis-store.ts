import type Redis from 'ioredis';
import { DEFAULT_DONE_RETENTION_MS, DEFAULT_ORPHAN_TTL_MS, newHandle } from './keys';
import { CLAIM, COMPLETE, LOCK_FOR_STOP, LOOKUP, TOUCH } from './scripts';
import type {
  ClaimResult,
  DoneOutcome,
  HandleLookup,
  RunningQueryRecord,
  RunningQueryStart,
  RunningQueryStore,
  RunningQueryStoreOptions,
} from './types';

const DEFAULT_PREFIX = 'lakegate:lq:';

function fieldsToObject(fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]!] = fields[i + 1]!;
  return out;
}

function toRecord(fields: readonly string[]): RunningQueryRecord {
  const f = fieldsToObject(fields);
  return {
    key: f.key ?? '',
    handle: f.handle ?? '',
    engine: f.engine ?? '',
    queryId: f.queryId ?? '',
    entitlement: f.entitlement ?? '',
    startedAt: Number(f.startedAt),
    abandonAt: Number(f.abandonAt),
  };
}

/**
 * Redis-backed registry of engine queries that outlived their request, shared by all replicas.
 * It never stores SQL: only what is needed to poll, fetch or stop the engine query, and the
 * entitlement the caller must match. The Redis connection is the caller's (not closed here).
 */
export class RedisRunningQueryStore implements RunningQueryStore {
  readonly prefix: string;
  private readonly orphanTtlMs: number;
  private readonly doneRetentionMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    options: RunningQueryStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.orphanTtlMs = options.orphanTtlMs ?? DEFAULT_ORPHAN_TTL_MS;
    this.doneRetentionMs = options.doneRetentionMs ?? DEFAULT_DONE_RETENTION_MS;
    this.now = options.now ?? Date.now;
  }

  /** Record the engine query for `key`, or return the one another request/replica started. */
  async claim(key: string, start: RunningQueryStart, graceMs: number): Promise<ClaimResult> {
    const handle = newHandle();
    const abandonAt = this.now() + graceMs;
    const fields: Record<string, string> = {
      key,
      handle,
      engine: start.engine,
      queryId: start.queryId,
      entitlement: start.entitlement,
      startedAt: String(start.startedAt),
      abandonAt: String(abandonAt),
    };
    const [created, stored] = (await this.redis.eval(
      CLAIM,
      3,
      this.recordKey(key),
      this.abandonKey(),
      this.handleKey(handle),
      key,
      abandonAt,
      this.ttlMs(graceMs),
      this.handleKey(''),
      ...Object.entries(fields).flat(),
    )) as [number, string[]];
    const record = toRecord(stored);
    return { created: created === 1, record, handle: record.handle };
  }

  /** The running record for a request key: checked before starting, to pick up instead. */
  async get(key: string): Promise<RunningQueryRecord | null> {
    const hash = await this.redis.hgetall(this.recordKey(key));
    return Object.keys(hash).length > 0 ? toRecord(Object.entries(hash).flat()) : null;
  }

  /** What a handle points at: the running record, a retired one (`done`), or nothing. */
  async lookup(handle: string): Promise<HandleLookup> {
    const [state, fields] = (await this.redis.eval(
      LOOKUP,
      1,
      this.handleKey(handle),
      this.recordKey(''),
      handle,
    )) as [string, string[] | undefined];
    if (state === 'running' && fields) return { state, record: toRecord(fields) };
    if (state === 'done' && fields) {
      const f = fieldsToObject(fields);
      return { state, record: toRecord(fields), outcome: f.outcome as DoneOutcome, completedAt: Number(f.completedAt) };
    }
    return { state: 'unknown' };
  }

  /** A waiter is still interested: abandonAt becomes now + graceMs (never earlier). */
  async touch(key: string, graceMs: number): Promise<boolean> {
    const abandonAt = this.now() + graceMs;
    const args = [key, abandonAt, this.ttlMs(graceMs), this.handleKey('')];
    return (await this.redis.eval(TOUCH, 2, this.recordKey(key), this.abandonKey(), ...args)) === 1;
  }

  /**
   * The engine query succeeded and a request took its result: drop the running record. The handle keeps answering
   * `done` (with the queryId, so results can still be fetched) for doneRetentionMs, then expires.
   */
  async complete(key: string): Promise<boolean> {
    return (await this.retire(COMPLETE, key, 'finished')) === 1;
  }

  /** As `complete`, for a query the engine failed or cancelled: the handle answers `done`/`failed`. */
  async fail(key: string): Promise<boolean> {
    return (await this.retire(COMPLETE, key, 'failed')) === 1;
  }

  /** One ZCARD: every record is in the abandon set until it is retired (a sweep drops orphans). */
  async countRunning(): Promise<number> {
    return this.redis.zcard(this.abandonKey());
  }

  /** Records whose abandonAt is at or before `now`, oldest first, at most `limit`. */
  async abandoned(now: number, limit: number): Promise<RunningQueryRecord[]> {
    const keys = await this.redis.zrangebyscore(this.abandonKey(), '-inf', now, 'LIMIT', 0, limit);
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hgetall(this.recordKey(key));
    const replies = (await pipeline.exec()) ?? [];
    const records: RunningQueryRecord[] = [];
    const orphans: string[] = [];
    replies.forEach(([error, value], i) => {
      const hash = value as Record<string, string> | null;
      if (error || !hash || Object.keys(hash).length === 0) orphans.push(keys[i]!);
      else records.push(toRecord(Object.entries(hash).flat()));
    });
    // A record that expired (no sweeper for orphanTtlMs) leaves its zset entry behind: tidy it.
    if (orphans.length > 0) await this.redis.zrem(this.abandonKey(), ...orphans);
    return records;
  }

  /**
   * Exactly one caller wins, and only while the record is still abandoned (re-checked now, so a
   * touch that raced the sweep keeps the query alive). The winner must stop the engine query;
   * the record is already retired (handle answers done/abandoned) so new requests start afresh.
   */
  async tryLockForStop(key: string, ttlMs: number): Promise<boolean> {
    const keys = [this.recordKey(key), this.abandonKey(), this.stopKey(key)];
    const args = [key, this.now(), ttlMs, this.doneRetentionMs, this.handleKey('')];
    return (await this.redis.eval(LOCK_FOR_STOP, 3, ...keys, ...args)) !== null;
  }

  private retire(script: string, key: string, outcome: DoneOutcome): Promise<unknown> {
    const args = [key, outcome, this.now(), this.doneRetentionMs, this.handleKey('')];
    return this.redis.eval(script, 2, this.recordKey(key), this.abandonKey(), ...args);
  }

  /** Records outlive abandonAt by orphanTtlMs so a dead sweeper fleet cannot leak Redis keys. */
  private ttlMs(graceMs: number): number {
    return graceMs + this.orphanTtlMs;
  }

  private recordKey(key: string): string {
    return `${this.prefix}q:${key}`;
  }
  private handleKey(handle: string): string {
    return `${this.prefix}h:${handle}`;
  }
  private abandonKey(): string {
    return `${this.prefix}abandon`;
  }
  private stopKey(key: string): string {
    return `${this.prefix}stop:${key}`;
  }
}
