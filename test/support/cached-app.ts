import { setTimeout as sleep } from 'node:timers/promises';
import type { Kpi } from '../../src/catalog/types';
import type { LoadedConfig } from '../../src/config/load';
import type { CacheConfig } from '../../src/config/schema';
import { forwardingEngine } from '../../src/datasources/forwarding';
import type { Engine } from '../../src/datasources/types';

/** What a test changes of the result cache: which datasets opt in, for how long, and the `cache` section. */
export interface CacheSetup {
  readonly datasets: readonly string[];
  readonly ttlMs: number;
  readonly cache?: Partial<Omit<CacheConfig, 'redis'>> & { readonly redis?: Partial<CacheConfig['redis']> };
}

/** A `configure` for `startTestApp`: the named datasets cached for `ttlMs` (as `cache: { ttl }` in the curation file would), the cache section patched. */
export function withResultCache(setup: CacheSetup): (loaded: LoadedConfig) => LoadedConfig {
  return (loaded) => {
    const { config, catalog } = loaded;
    const cache: CacheConfig = { ...config.cache, ...setup.cache, redis: { ...config.cache.redis, ...setup.cache?.redis } };
    const datasets = catalog.datasets.map((dataset) => (setup.datasets.includes(dataset.name) ? { ...dataset, cacheTtlMs: setup.ttlMs } : dataset));
    return { ...loaded, config: { ...config, cache }, catalog: { ...catalog, datasets } };
  };
}

/**
 * A test's engine decoration: counts the engine queries that read a table, each held for `holdMs`
 * so identical requests overlap. The cache wraps it, so it sees only real engine queries.
 */
export function countingQueries(holdMs = 0): { decorate: (engine: Engine) => Engine; queriesOn(table: string): number } {
  const sqls: string[] = [];
  return {
    decorate: (engine) => forwardingEngine(engine, async (inner, query, options) => {
      sqls.push(query.sql);
      if (holdMs > 0) await sleep(holdMs);
      return inner.execute(query, options);
    }),
    queriesOn: (table) => sqls.filter((sql) => sql.includes(table)).length,
  };
}

/** A `configure` that changes the KPIs (freshness, thresholds, refresh) as the curation file would. */
export function withKpiSettings(change: (kpi: Kpi) => Partial<Kpi>): (loaded: LoadedConfig) => LoadedConfig {
  return (loaded) => ({ ...loaded, catalog: { ...loaded.catalog, kpis: loaded.catalog.kpis.map((kpi) => ({ ...kpi, ...change(kpi) })) } });
}
