import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { decode, encode } from './codec';
import type { ReplicaLock, Serialized, SharedTier, SharedTierState, SizedAnswer } from './types';

/** Deletes the lock only if it is still ours (it may have expired and been taken by another replica). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export interface RedisTierOptions {
  /** Namespace of every key, so deployments sharing one Redis do not collide. */
  readonly keyPrefix: string;
  /** A compressed answer larger than this is not shared (it stays in the memory tier). */
  readonly maxEntryBytes: number;
  readonly logger: Pick<Logger, 'debug'>;
}

/**
 * Answers shared by every replica, in Redis: brotli-compressed JSON under `<prefix><key>`, kept
 * for the TTL and the stale window; the computing lock under `<prefix>lock:<key>`. The connection
 * is the caller's. Every call is guarded: Redis being unreachable reads as empty, drops writes
 * and grants no lock (`unavailable`), so requests are served from memory or the engine.
 */
export class RedisTier implements SharedTier {
  constructor(private readonly redis: Redis, private readonly options: RedisTierOptions) {}

  async get(key: string): Promise<SizedAnswer | undefined> {
    const value = await this.call('read an answer', () => this.redis.getBuffer(this.valueKey(key)));
    return value ? decode(value) : undefined;
  }

  async set(key: string, answer: Serialized, keepMs: number): Promise<void> {
    if (!this.reachable()) return;
    const value = await encode(answer);
    if (value.length > this.options.maxEntryBytes) return;
    await this.call('store an answer', () => this.redis.set(this.valueKey(key), value, 'PX', Math.max(1, Math.ceil(keepMs))));
  }

  async lock(key: string, holdMs: number): Promise<ReplicaLock> {
    const lockKey = this.lockKey(key);
    const token = randomUUID();
    const taken = await this.call('take a lock', () => this.redis.set(lockKey, token, 'PX', Math.max(1, Math.ceil(holdMs)), 'NX'));
    if (taken === undefined) return { kind: 'unavailable' };
    if (taken !== 'OK') return { kind: 'held' };
    return {
      kind: 'acquired',
      release: async () => {
        await this.call('release a lock', () => this.redis.eval(RELEASE, 1, lockKey, token));
      },
    };
  }

  async locked(key: string): Promise<boolean | undefined> {
    const count = await this.call('look at a lock', () => this.redis.exists(this.lockKey(key)));
    return count === undefined ? undefined : count > 0;
  }

  state(): SharedTierState {
    return this.reachable() ? 'connected' : 'unreachable';
  }

  private reachable(): boolean {
    return this.redis.status === 'ready';
  }

  private valueKey(key: string): string {
    return `${this.options.keyPrefix}${key}`;
  }

  private lockKey(key: string): string {
    return `${this.options.keyPrefix}lock:${key}`;
  }

  /** Runs one Redis call; a failure (unreachable, timed out) is logged and answered undefined. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
    if (!this.reachable()) return undefined;
    try {
      return await run();
    } catch (error) {
      this.options.logger.debug({ err: (error as Error).message }, `result cache: could not ${what} in Redis`);
      return undefined;
    }
  }
}
