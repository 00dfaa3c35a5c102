import type { Dataset } from '../catalog/types';
import { EngineError } from '../datasources/errors';
import type { Row } from '../datasources/types';
import { LakegateError } from '../query/errors';
import type { LogicalQuery } from '../query/types';
import { routeQuery } from '../router/route';
import { compileQuery } from '../sql/compiler';
import { dialectNamed } from '../sql/dialects';
import type { PlannerContext } from './context';

/**
 * Drives one logical query down the rest of the road: router → sql → datasource, and records
 * what ran for the response extensions. (Lake Formation's rewrite joins before the router.)
 */
export async function runQuery(query: LogicalQuery, dataset: Dataset, path: string, context: PlannerContext): Promise<readonly Row[]> {
  const route = routeQuery(dataset, new Set(context.engines.keys()));
  const engine = route ? context.engines.get(route.engine) : undefined;
  if (!route || !engine) throw new LakegateError('ENGINE_UNAVAILABLE', `no engine is available for dataset "${dataset.name}"`);
  const compiled = compileQuery(query, dialectNamed(engine.dialect));
  try {
    const result = await engine.execute(compiled, { signal: context.signal, deadline: Date.now() + context.limits.queryTimeoutMs });
    const { queryId, durationMs, bytesScanned, rows } = result.stats;
    context.queries.push({ path, engine: engine.name, queryId, reason: route.reason, durationMs: round(durationMs), bytesScanned, rows, cache: 'none' });
    context.logger.debug({ engine: engine.name, queryId, dataset: dataset.name, durationMs: round(durationMs), rows }, 'engine query');
    return result.rows;
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    const code = error.code === 'QUERY_CANCELLED' ? 'QUERY_FAILED' : error.code;
    throw new LakegateError(code, `${dataset.name}: ${error.message}`, { engine: error.engine, queryId: error.queryId });
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
