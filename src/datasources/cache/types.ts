import type { QueryStats, Row } from '../types';

/**
 * One cached answer: the typed rows, the stats of the engine query that produced them (so a
 * hit still names that query in the audit), and when it was stored by the cache's clock.
 */
export interface CachedAnswer {
  readonly rows: readonly Row[];
  readonly stats: QueryStats;
  readonly storedAt: number;
}

/** An answer as JSON, with its size in bytes (what the memory tier charges for it). */
export interface Serialized {
  readonly json: string;
  readonly bytes: number;
}

/** An answer with its serialized size, as a tier hands it back. */
export interface SizedAnswer {
  readonly answer: CachedAnswer;
  readonly bytes: number;
}

/** How usable an answer is for a policy: serve it, serve it and refresh behind it, or ignore it. */
export type Freshness = 'fresh' | 'stale' | 'expired';

/** An answer found in a tier, with its freshness for the asking policy (never `expired`). */
export interface Found {
  readonly answer: CachedAnswer;
  readonly freshness: Exclude<Freshness, 'expired'>;
}

/** Epoch milliseconds; freshness is judged by this clock (injectable in tests), not the tiers' own expiry. */
export type Clock = () => number;

/** The result cache's settings, from the configuration's `cache` section. */
export interface CacheSettings {
  /** Memory for answers on this replica. */
  readonly maxBytes: number;
  /** How long past its TTL an answer is still served while one refresh runs; 0: never. */
  readonly staleWhileRevalidateMs: number;
  /** How long a miss waits for another replica computing the same key before running its own. */
  readonly lockWaitMs: number;
}

/** The cross-replica lock on computing one key. */
export type ReplicaLock =
  | { readonly kind: 'acquired'; release(): Promise<void> }
  /** Another replica is computing the key. */
  | { readonly kind: 'held' }
  /** The shared tier cannot be reached: compute without a lock. */
  | { readonly kind: 'unavailable' };

/** Whether the tier shared by replicas can be reached. */
export type SharedTierState = 'connected' | 'unreachable';

/** Where answers are kept, as /readyz reports it: memory only, or memory and a shared tier (reachable or not). */
export type CacheTierState = 'memory' | SharedTierState;

/**
 * The tier every replica shares (Redis). No call ever rejects: an unreachable tier reads as
 * empty, ignores writes and grants no locks, so the memory tier serves and no request fails.
 */
export interface SharedTier {
  get(key: string): Promise<SizedAnswer | undefined>;
  /** Keeps the answer for `keepMs` (its TTL and the stale window), unless it is too large to share. */
  set(key: string, answer: Serialized, keepMs: number): Promise<void>;
  /** Takes the lock on computing `key` for `holdMs`. */
  lock(key: string, holdMs: number): Promise<ReplicaLock>;
  /** True while a replica holds the lock on `key`; undefined when the tier cannot tell. */
  locked(key: string): Promise<boolean | undefined>;
  state(): SharedTierState;
}
