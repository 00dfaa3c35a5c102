/**
 * Picks the engine for one read, and says why. Pure: it sees the dataset's routing facts, the
 * configured rules and which engines are available now — never a client or a clock.
 */
export interface RoutingRules {
  /** Engine for ad-hoc reads (Athena when configured). */
  readonly adHoc: string;
  /** Engine for SLA-bound datasets and KPIs (Redshift when configured). */
  readonly sla: string;
  /** Where to go when an engine is unavailable: engine → fallback engine. */
  readonly fallbacks: Readonly<Record<string, string>>;
}

export interface RoutedDataset {
  readonly name: string;
  /** Engines holding the dataset's table, in the curation file's order. */
  readonly engines: readonly string[];
  readonly slaBound: boolean;
  /** The curation file's explicit choice for a dataset present on several engines. */
  readonly preferredEngine: string | null;
}

export interface Route {
  readonly engine: string;
  readonly reason: string;
}

export function routeQuery(dataset: RoutedDataset, rules: RoutingRules, available: ReadonlySet<string>): Route | null {
  const first = firstChoice(dataset, rules);
  const tried = new Set<string>();
  let engine: string | undefined = first.engine;
  const unavailable: string[] = [];
  while (engine !== undefined && !tried.has(engine)) {
    tried.add(engine);
    if (available.has(engine) && dataset.engines.includes(engine)) {
      const reason = unavailable.length === 0 ? first.reason : `${first.reason}; ${unavailable.join(', ')} unavailable, fell back to ${engine}`;
      return { engine, reason };
    }
    unavailable.push(engine);
    engine = rules.fallbacks[engine];
  }
  return null;
}

function firstChoice(dataset: RoutedDataset, rules: RoutingRules): Route {
  if (dataset.preferredEngine) return { engine: dataset.preferredEngine, reason: `the curation file routes ${dataset.name} to ${dataset.preferredEngine}` };
  const wanted = dataset.slaBound ? rules.sla : rules.adHoc;
  const kind = dataset.slaBound ? 'SLA-bound read' : 'ad-hoc read';
  if (dataset.engines.includes(wanted)) return { engine: wanted, reason: `${kind} → ${wanted}` };
  const only = dataset.engines[0]!;
  return { engine: only, reason: `${kind}; ${dataset.name} is only on ${dataset.engines.join(', ')}` };
}
