import { createHash } from 'node:crypto';

/**
 * A sha256 (hex) of a JSON-like value: equal values (built the same way) give equal
 * fingerprints. Bigints are tagged so `1n` and `"1"` differ, and Maps hash as their entries.
 */
export function fingerprint(value: unknown): string {
  const json = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return { $bigint: item.toString() };
    if (item instanceof Map) return { $map: [...item.entries()] };
    return item;
  });
  return createHash('sha256').update(json).digest('hex');
}
