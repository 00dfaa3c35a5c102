import type { GraphQLFieldResolver } from 'graphql';
import type { Kpi } from '../catalog/types';
import type { PlannerContext } from '../planner/context';
import type { KpiArgs } from '../planner/kpis/plan';
import { runKpi } from '../planner/kpis/run';
import { responsePath } from './datasets';

/** `kpis` itself carries nothing: each KPI field below it answers on its own. */
export const kpisResolver: GraphQLFieldResolver<unknown, PlannerContext> = () => ({});

export function kpiResolver(kpi: Kpi): GraphQLFieldResolver<unknown, PlannerContext, KpiArgs> {
  return (_source, args, context, info) => runKpi(kpi, args, responsePath(info), context);
}
