import type { Dataset } from '../catalog/types';

export interface Route {
  readonly engine: string;
  readonly reason: string;
}

/**
 * Picks the engine for a dataset read. Pure: it reads the dataset's declared engines and the
 * engines this server has, and says why. Athena/Redshift rules (SLA-bound → Redshift, ad-hoc →
 * Athena, fallbacks) join here with their adapters.
 */
export function routeQuery(dataset: Dataset, available: ReadonlySet<string>): Route | null {
  const engine = dataset.engines.find((name) => available.has(name));
  if (!engine) return null;
  return { engine, reason: engine === 'local' ? 'embedded engine: local mode serves every dataset from the lake folder' : `the only engine configured for ${dataset.name}` };
}
