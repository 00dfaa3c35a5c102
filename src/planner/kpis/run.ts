import type { Dataset, Kpi } from '../../catalog/types';
import { LakegateError } from '../../query/errors';
import type { RoutedDataset } from '../../router/route';
import type { PlannerContext } from '../context';
import { runQuery } from '../run';
import { checkKpiArgs, latestQuery, planKpi, type KpiArgs } from './plan';
import { shapePoints, type KpiPoint } from './points';
import { resolveRange } from './range';

/**
 * Answers one KPI field: finds where its default range ends when it needs to (the latest data in
 * the caller's view), plans the series as one aggregate query and shapes the points. Both engine
 * queries go the dataset's road — the caller's view, the KPI's routing, its freshness as cache TTL.
 */
export async function runKpi(kpi: Kpi, args: KpiArgs, path: string, context: PlannerContext, options: { refresh?: boolean } = {}): Promise<KpiPoint[]> {
  checkKpiArgs(kpi, args);
  const dataset = context.catalog.datasets.find((candidate) => candidate.name === kpi.dataset);
  if (!dataset) throw new LakegateError('FORBIDDEN', `kpis.${kpi.name}: you may not read its dataset`);
  context.kpiRefresher?.record(kpi, args, context.caller);
  const target = { dataset, path, kpi: kpi.name, route: kpiRoute(kpi, dataset), cache: { ttlMs: kpi.freshnessMs, ...(options.refresh ? { refresh: true } : {}) } };
  const latest = args.to ? null : await latestData(kpi, dataset, target, context);
  const range = resolveRange(kpi, args, latest);
  if (!range) return [];
  const maxPoints = context.limits.maxLimit;
  const plan = planKpi(kpi, dataset, args, range, maxPoints);
  const points = shapePoints(kpi, plan, await runQuery(plan.query, target, context));
  if (points.length > maxPoints || (plan.query.limit !== null && points.length >= plan.query.limit)) {
    throw new LakegateError('LIMIT_EXCEEDED', `kpis.${kpi.name}: more than ${maxPoints} points; narrow the range, use a coarser grain or fewer dimensions`, { limit: 'maxLimit', max: maxPoints });
  }
  return points;
}

/** SLA-bound KPIs go to the SLA engine; the others follow their dataset. */
export function kpiRoute(kpi: Kpi, dataset: Dataset): RoutedDataset {
  if (!kpi.slaBound) return dataset;
  return { name: dataset.name, engines: dataset.engines, slaBound: true, preferredEngine: null };
}

async function latestData(kpi: Kpi, dataset: Dataset, target: Parameters<typeof runQuery>[1], context: PlannerContext): Promise<Date | null> {
  const [row] = await runQuery(latestQuery(kpi, dataset), { ...target, path: `${target.path}(latest)` }, context);
  const value = row?.['latest'];
  return value === null || value === undefined ? null : parseInstant(String(value));
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** An engine's date or timestamp text (`2024-03-01`, `2024-03-01 10:00:00.123456`, `…+00`) as an instant, in UTC when it names no zone. */
function parseInstant(text: string): Date {
  const match = INSTANT.exec(text.trim());
  if (!match) throw new Error(`not a date or timestamp: ${text}`);
  const [, date, clock = '00:00:00', fraction = '', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return new Date(`${date}T${clock.length === 5 ? `${clock}:00` : clock}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`);
}
