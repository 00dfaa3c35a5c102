import type { Dataset } from '../catalog/types';
import { EngineError } from '../datasources/errors';
import type { Engine, Row } from '../datasources/types';
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
  const tried = new Set<string>();
  for (;;) {
    const untried = [...context.engines.keys()].filter((name) => !tried.has(name));
    // Engines cooling down are skipped while another can serve; with no other, they are tried anyway.
    const route = routeQuery(dataset, context.routing, context.availability.available(untried)) ?? routeQuery(dataset, context.routing, new Set(untried));
    const engine = route ? context.engines.get(route.engine) : undefined;
    if (!route || !engine) throw new LakegateError('ENGINE_UNAVAILABLE', `no engine is available for dataset "${dataset.name}"`);
    try {
      return await runOn(engine, route.reason, query, planned, dataset, path, context);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      // An engine that is down is skipped for a while, and this read tries the declared fallback.
      if (error.code === 'ENGINE_UNAVAILABLE') {
        context.availability.markDown(engine.name);
        tried.add(engine.name);
        continue;
      }
      const code = error.code === 'QUERY_CANCELLED' ? 'QUERY_FAILED' : error.code;
      throw new LakegateError(code, `${dataset.name}: ${error.message}`, { engine: error.engine, queryId: error.queryId });
    }
  }
}

async function runOn(engine: Engine, reason: string, query: LogicalQuery, planned: LogicalQuery, dataset: Dataset, path: string, context: PlannerContext): Promise<readonly Row[]> {
  const compiled = compileQuery(query, dialectNamed(engine.dialect));
  const result = await engine.execute(compiled, { signal: context.signal, deadline: Date.now() + context.limits.queryTimeoutMs });
  const { queryId, durationMs, bytesScanned, rows } = result.stats;
  context.queries.push({ path, engine: engine.name, queryId, reason, durationMs: round(durationMs), bytesScanned, rows, cache: 'none' });
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
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
