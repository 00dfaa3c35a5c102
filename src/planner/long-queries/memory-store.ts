import { DEFAULT_DONE_RETENTION_MS, DEFAULT_ORPHAN_TTL_MS, newHandle } from './keys';
import type {
  ClaimResult,
  DoneOutcome,
  HandleLookup,
  RunningQueryRecord,
  RunningQueryStart,
  RunningQueryStore,
  RunningQueryStoreOptions,
} from './types';

interface Expiring<T> {
  readonly value: T;
  /** Wall-clock epoch ms, as Redis expiries are (not the injected clock). */
  expiresAt: number;
}

type HandleEntry =
  | { readonly key: string }
  | { readonly record: RunningQueryRecord; readonly outcome: DoneOutcome; readonly completedAt: number };

/**
 * The running-query registry of a single replica, with the semantics of the Redis store (same
 * expiries, same single-winner stop, same retired handles): for one server without Redis.
 * Several replicas need the Redis store — each would otherwise start and stop its own queries.
 */
export class MemoryRunningQueryStore implements RunningQueryStore {
  private readonly records = new Map<string, Expiring<RunningQueryRecord>>();
  private readonly handles = new Map<string, Expiring<HandleEntry>>();
  private readonly stopLocks = new Map<string, number>();
  private readonly orphanTtlMs: number;
  private readonly doneRetentionMs: number;
  private readonly now: () => number;

  constructor(options: Omit<RunningQueryStoreOptions, 'prefix'> = {}) {
    this.orphanTtlMs = options.orphanTtlMs ?? DEFAULT_ORPHAN_TTL_MS;
    this.doneRetentionMs = options.doneRetentionMs ?? DEFAULT_DONE_RETENTION_MS;
    this.now = options.now ?? Date.now;
  }

  async claim(key: string, start: RunningQueryStart, graceMs: number): Promise<ClaimResult> {
    const existing = this.live(this.records, key);
    if (existing) {
      const record = this.extend(existing, graceMs);
      return { created: false, record, handle: record.handle };
    }
    const handle = newHandle();
    const record: RunningQueryRecord = {
      key, handle, engine: start.engine, queryId: start.queryId, entitlement: start.entitlement, startedAt: start.startedAt, abandonAt: this.now() + graceMs,
    };
    const expiresAt = Date.now() + graceMs + this.orphanTtlMs;
    this.records.set(key, { value: record, expiresAt });
    this.handles.set(handle, { value: { key }, expiresAt });
    return { created: true, record, handle };
  }

  async get(key: string): Promise<RunningQueryRecord | null> {
    return this.live(this.records, key)?.value ?? null;
  }

  async lookup(handle: string): Promise<HandleLookup> {
    const entry = this.live(this.handles, handle)?.value;
    if (!entry) return { state: 'unknown' };
    if ('outcome' in entry) return { state: 'done', record: entry.record, outcome: entry.outcome, completedAt: entry.completedAt };
    const record = this.live(this.records, entry.key)?.value;
    return record && record.handle === handle ? { state: 'running', record } : { state: 'unknown' };
  }

  async touch(key: string, graceMs: number): Promise<boolean> {
    const existing = this.live(this.records, key);
    if (!existing) return false;
    this.extend(existing, graceMs);
    return true;
  }

  async complete(key: string): Promise<boolean> {
    return this.retire(key, 'finished');
  }

  async fail(key: string): Promise<boolean> {
    return this.retire(key, 'failed');
  }

  async abandoned(now: number, limit: number): Promise<RunningQueryRecord[]> {
    this.purgeExpired();
    return [...this.records.values()]
      .map((entry) => entry.value)
      .filter((record) => record.abandonAt <= now)
      .sort((a, b) => a.abandonAt - b.abandonAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, limit);
  }

  async countRunning(): Promise<number> {
    this.purgeExpired();
    return this.records.size;
  }

  async tryLockForStop(key: string, ttlMs: number): Promise<boolean> {
    const record = this.live(this.records, key)?.value;
    if (!record || record.abandonAt > this.now()) return false;
    if ((this.stopLocks.get(key) ?? 0) > Date.now()) return false;
    this.stopLocks.set(key, Date.now() + ttlMs);
    return this.retire(key, 'abandoned');
  }

  /** abandonAt (and both expiries) move forward, never back: a stale touch must not shorten the grace. */
  private extend(entry: Expiring<RunningQueryRecord>, graceMs: number): RunningQueryRecord {
    const abandonAt = this.now() + graceMs;
    if (abandonAt <= entry.value.abandonAt) return entry.value;
    const record = { ...entry.value, abandonAt };
    const expiresAt = Date.now() + graceMs + this.orphanTtlMs;
    this.records.set(record.key, { value: record, expiresAt });
    const handle = this.handles.get(record.handle);
    if (handle) handle.expiresAt = expiresAt;
    return record;
  }

  /** The handle keeps answering `done` for the retention window, then expires. */
  private retire(key: string, outcome: DoneOutcome): boolean {
    const record = this.live(this.records, key)?.value;
    if (!record) return false;
    this.records.delete(key);
    this.handles.set(record.handle, { value: { record, outcome, completedAt: this.now() }, expiresAt: Date.now() + this.doneRetentionMs });
    return true;
  }

  private live<T>(map: Map<string, Expiring<T>>, id: string): Expiring<T> | undefined {
    const entry = map.get(id);
    if (entry && entry.expiresAt <= Date.now()) {
      map.delete(id);
      return undefined;
    }
    return entry;
  }

  private purgeExpired(): void {
    const wallClock = Date.now();
    for (const map of [this.records, this.handles] as Map<string, Expiring<unknown>>[]) {
      for (const [id, entry] of map) if (entry.expiresAt <= wallClock) map.delete(id);
    }
    for (const [key, until] of this.stopLocks) if (until <= wallClock) this.stopLocks.delete(key);
  }
}
