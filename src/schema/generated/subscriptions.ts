import { GraphQLFloat, GraphQLNonNull, GraphQLObjectType, GraphQLString } from 'graphql';
import type { Kpi } from '../../catalog/types';
import type { PlannerContext } from '../../planner/context';
import { alertsSubscription, kpiSubscription } from '../../resolvers/live';
import { DateTimeScalar } from '../scalars';
import type { KpiFieldShape } from './kpis';

const KpiAlert = new GraphQLObjectType({
  name: 'KpiAlert',
  description: 'A KPI value crossing one of its thresholds (once per crossing, not every tick).',
  fields: {
    kpi: { type: new GraphQLNonNull(GraphQLString), description: 'The KPI field name.' },
    threshold: { type: new GraphQLNonNull(GraphQLString), description: 'The threshold crossed, e.g. `above 10 where awsregion = eu-west-1`.' },
    crossed: { type: new GraphQLNonNull(GraphQLString), description: '`above` or `below`.' },
    value: { type: new GraphQLNonNull(GraphQLFloat), description: 'The value of the latest bucket that crossed it.' },
    time: { type: DateTimeScalar, description: 'Start of that bucket (UTC).' },
    dimensions: { type: GraphQLString, description: 'The dimension values the threshold applies to, as JSON; null: the KPI as a whole.', resolve: (alert: { dimensions: object }) => (Object.keys(alert.dimensions).length > 0 ? JSON.stringify(alert.dimensions) : null) },
    message: { type: new GraphQLNonNull(GraphQLString) },
  },
});

/**
 * `Subscription`: one field per KPI the caller may read (the same arguments and points as under
 * `kpis`), and `kpiAlerts`; null when it may read no KPI.
 */
export function buildSubscriptionType(kpis: readonly Kpi[], shapes: ReadonlyMap<string, KpiFieldShape>): GraphQLObjectType | null {
  if (kpis.length === 0) return null;
  return new GraphQLObjectType<unknown, PlannerContext>({
    name: 'Subscription',
    description: 'Live KPIs over graphql-ws at the /graphql URL (the token in connection_init\'s payload): the current series first, then a new one whenever it changes.',
    fields: {
      ...Object.fromEntries(kpis.map((kpi) => [kpi.name, { ...shapes.get(kpi.name)!, ...kpiSubscription(kpi) }])),
      kpiAlerts: { type: new GraphQLNonNull(KpiAlert), description: 'Threshold crossings of the KPIs you may read.', ...alertsSubscription },
    },
  });
}
