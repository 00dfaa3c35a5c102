import { LRUCache } from 'lru-cache';
import type { CachedAnswer } from './types';

interface Entry {
  readonly answer: CachedAnswer;
  /** The answer's serialized size: what it is charged against the bound. */
  readonly bytes: number;
}

/**
 * This replica's answers, bounded in bytes: the least recently used go first, and an answer
 * larger than the whole bound is not kept. Freshness is not decided here (no TTL): the cache
 * judges each answer by the asking policy on its own clock.
 */
export class MemoryTier {
  private readonly entries: LRUCache<string, Entry>;

  constructor(maxBytes: number) {
    // lru-cache wants a positive bound; a bound of one byte keeps nothing.
    this.entries = new LRUCache<string, Entry>({ maxSize: Math.max(1, maxBytes), sizeCalculation: (entry) => Math.max(1, entry.bytes) });
  }

  get(key: string): CachedAnswer | undefined {
    return this.entries.get(key)?.answer;
  }

  set(key: string, answer: CachedAnswer, bytes: number): void {
    this.entries.set(key, { answer, bytes });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
