import { setTimeout as sleep } from 'node:timers/promises';
import type { CachePolicy } from '../types';
import { serialize } from './codec';
import { freshnessOf } from './freshness';
import type { MemoryTier } from './memory-tier';
import type { CachedAnswer, Clock, Found, ReplicaLock, SharedTier } from './types';

/** Polling for another replica's answer: soon at first (most queries are quick), then less often. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

const NO_LOCK: ReplicaLock = { kind: 'unavailable' };

/**
 * The two tiers as one: this replica's memory in front of the tier replicas share (when there
 * is one). Reads prefer memory and ask the shared tier only when memory has nothing fresh —
 * another replica may have stored or refreshed the answer — and keep what they find there in
 * memory; writes go to both.
 */
export class CacheTiers {
  constructor(
    private readonly memory: MemoryTier,
    private readonly shared: SharedTier | null,
    private readonly staleWhileRevalidateMs: number,
    private readonly now: Clock,
  ) {}

  async lookup(key: string, policy: CachePolicy): Promise<Found | undefined> {
    const local = this.judgeLocal(key, policy);
    if (local?.freshness === 'fresh' || !this.shared) return local;
    const remote = await this.shared.get(key);
    const freshness = remote && freshnessOf(remote.answer, policy, this.staleWhileRevalidateMs, this.now());
    if (!remote || !freshness || freshness === 'expired') return local;
    if (local && local.answer.storedAt >= remote.answer.storedAt) return local;
    this.memory.set(key, remote.answer, remote.bytes);
    return { answer: remote.answer, freshness };
  }

  async store(key: string, answer: CachedAnswer, policy: CachePolicy): Promise<void> {
    const serialized = serialize(answer);
    this.memory.set(key, answer, serialized.bytes);
    await this.shared?.set(key, serialized, policy.ttlMs + this.staleWhileRevalidateMs);
  }

  /** The lock on computing `key` across replicas; `unavailable` without a shared tier. */
  lock(key: string, holdMs: number): Promise<ReplicaLock> {
    return this.shared ? this.shared.lock(key, holdMs) : Promise.resolve(NO_LOCK);
  }

  /**
   * Waits while another replica holds the lock on `key` (until `until`, epoch ms, or `signal`),
   * then reads the answer it stored. Undefined when there is no fresh one — that replica failed,
   * or the answer was too large to share — or the wait ran out: the caller runs its own query.
   */
  async awaitOtherReplica(key: string, policy: CachePolicy, until: number, signal: AbortSignal): Promise<CachedAnswer | undefined> {
    for (let pause = FIRST_POLL_MS; Date.now() < until && !signal.aborted; pause = Math.min(pause * 1.5, MAX_POLL_MS)) {
      await sleep(Math.max(0, Math.min(pause, until - Date.now())));
      const locked = await this.shared?.locked(key);
      if (locked === true) continue;
      if (locked === undefined) return undefined;
      const found = await this.lookup(key, policy);
      return found?.freshness === 'fresh' ? found.answer : undefined;
    }
    return undefined;
  }

  /** This replica's answer if it is still usable; an expired one is dropped to free its memory. */
  private judgeLocal(key: string, policy: CachePolicy): Found | undefined {
    const answer = this.memory.get(key);
    if (!answer) return undefined;
    const freshness = freshnessOf(answer, policy, this.staleWhileRevalidateMs, this.now());
    if (freshness !== 'expired') return { answer, freshness };
    this.memory.delete(key);
    return undefined;
  }
}
