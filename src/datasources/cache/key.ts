import { fingerprint } from '../../query/fingerprint';
import type { CompiledQuery } from '../../sql/types';

/**
 * The cache key: what decides the rows. The engine (two dialects can write the same SQL), the
 * compiled SQL — which already carries the caller's Lake Formation view, so callers whose views
 * compile to the same SQL share an entry and no other sharing is possible — and every bound
 * parameter with its type (`1` bound as an int and as a double are different queries).
 */
export function cacheKey(engine: string, query: CompiledQuery): string {
  return fingerprint([engine, query.sql, query.params.map((param) => [param.value, param.type])]);
}
