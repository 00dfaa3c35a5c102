import type { Dataset } from '../catalog/types';
import { EngineError } from '../datasources/errors';
import type { Row } from '../datasources/types';
import { LakegateError } from '../query/errors';
import type { LogicalQuery } from '../query/types';
import { routeQuery } from '../router/route';
import { applyPolicy, columnsRead } from '../policy/rewrite';
import { compileQuery } from '../sql/compiler';
import { dialectNamed } from '../sql/dialects';
import type { PlannerContext } from './context';

/**
 * Drives one logical query down the rest of the road: policy → router → sql → datasource,
 * records what ran for the response extensions, and writes the audit line.
 */
export async function runQuery(planned: LogicalQuery, dataset: Dataset, path: string, context: PlannerContext): Promise<readonly Row[]> {
  const query = applyPolicy(planned, context.views.get(dataset.name));
  const route = routeQuery(dataset, context.routing, new Set(context.engines.keys()));
  const engine = route ? context.engines.get(route.engine) : undefined;
  if (!route || !engine) throw new LakegateError('ENGINE_UNAVAILABLE', `no engine is available for dataset "${dataset.name}"`);
  const compiled = compileQuery(query, dialectNamed(engine.dialect));
  try {
    const result = await engine.execute(compiled, { signal: context.signal, deadline: Date.now() + context.limits.queryTimeoutMs });
    const { queryId, durationMs, bytesScanned, rows } = result.stats;
    context.queries.push({ path, engine: engine.name, queryId, reason: route.reason, durationMs: round(durationMs), bytesScanned, rows, cache: 'none' });
    context.audit.info({
      subject: context.caller.subject,
      principals: context.caller.principals,
      dataset: dataset.name,
      table: `${dataset.table.database}.${dataset.table.table}`,
      columns: columnsRead(planned),
      filters: context.grantSources.get(dataset.name) ?? [],
      engine: engine.name,
      queryId,
      rows,
    }, 'engine query');
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
