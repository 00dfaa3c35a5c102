import { GraphQLError, type GraphQLFieldConfig } from 'graphql';
import type { Kpi } from '../catalog/types';
import type { PlannerContext } from '../planner/context';
import type { KpiArgs } from '../planner/kpis/plan';
import type { LiveSubscriptions } from '../planner/live/subscriptions';

type SubscriptionField = Pick<GraphQLFieldConfig<unknown, PlannerContext>, 'subscribe' | 'resolve'>;

/** A KPI's live series: the connection's live subscriptions hand over each new series as it is. */
export function kpiSubscription(kpi: Kpi): SubscriptionField {
  return {
    subscribe: (_source, args, context: PlannerContext) => liveOf(context).series(kpi, args as KpiArgs),
    resolve: valueOrError,
  };
}

export const alertsSubscription: SubscriptionField = {
  subscribe: (_source, _args, context: PlannerContext) => liveOf(context).alerts(),
  resolve: valueOrError,
};

/** An event is a value, or the error that ends the subscription (a KPI no longer readable): it becomes that event's GraphQL error. */
function valueOrError(event: unknown): unknown {
  if (event instanceof Error) throw event;
  return event;
}

function liveOf(context: PlannerContext): LiveSubscriptions {
  if (!context.live) throw new GraphQLError('subscriptions are served over WebSocket (graphql-ws) at this same URL', { extensions: { code: 'BAD_REQUEST' } });
  return context.live;
}
