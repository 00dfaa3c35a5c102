import {
  GraphQLEnumType, GraphQLFloat, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLObjectType,
  type GraphQLFieldConfig, type GraphQLFieldConfigArgumentMap, type GraphQLInputFieldConfigMap, type GraphQLOutputType,
} from 'graphql';
import { kpiTypeNames } from '../../catalog/kpis';
import type { Kpi } from '../../catalog/types';
import type { PlannerContext } from '../../planner/context';
import { kpiResolver, kpisResolver } from '../../resolvers/kpis';
import { BigIntScalar, DateScalar, DateTimeScalar, DecimalScalar } from '../scalars';
import { nonNullList, scalarFilter, scalarFor, TimeGrain } from './shared';

export const KpiComparison = new GraphQLEnumType({
  name: 'KpiComparison',
  description: 'The period a KPI is compared with: `previous` is the value of the same bucket and dimensions there.',
  values: {
    PREVIOUS_PERIOD: { value: 'previousPeriod', description: 'The range just before, as long as the one asked for (whole months when both ends start a month).' },
    PREVIOUS_YEAR: { value: 'previousYear', description: 'The same range twelve months earlier.' },
  },
});

/** A KPI's field as `kpis` and `Subscription` both have it: its arguments, point list type and description (one set of types per KPI). */
export type KpiFieldShape = Pick<GraphQLFieldConfig<unknown, PlannerContext>, 'args' | 'type' | 'description' | 'extensions'>;

export function buildKpiFieldShapes(kpis: readonly Kpi[]): Map<string, KpiFieldShape> {
  return new Map(kpis.map((kpi) => [kpi.name, kpiFieldShape(kpi)]));
}

/** `kpis { <kpi>(...) }`: one field per KPI the caller may read; null when it may read none. */
export function buildKpisField(kpis: readonly Kpi[], shapes: ReadonlyMap<string, KpiFieldShape>): GraphQLFieldConfig<unknown, PlannerContext> | null {
  if (kpis.length === 0) return null;
  const type = new GraphQLObjectType<unknown, PlannerContext>({
    name: 'Kpis',
    description: 'Curated, governed metrics. Each is computed on your Lake Formation view of its dataset, and answered from the cache while fresh.',
    fields: Object.fromEntries(kpis.map((kpi) => [kpi.name, { ...shapes.get(kpi.name)!, resolve: kpiResolver(kpi) as never }])),
  });
  return { type: new GraphQLNonNull(type), description: 'Curated KPIs: one field per KPI you may read.', resolve: kpisResolver };
}

function kpiFieldShape(kpi: Kpi): KpiFieldShape {
  const time = kpi.time.type.kind === 'date' ? DateScalar : DateTimeScalar;
  const args: GraphQLFieldConfigArgumentMap = {
    from: { type: DateTimeScalar, description: 'Start of the range (inclusive). Default: `to` minus the KPI\'s default range.' },
    to: { type: DateTimeScalar, description: 'End of the range (exclusive). Default: the end of the bucket holding the latest data you can see.' },
    grain: { type: TimeGrain, description: `Time bucket of each point; allowed: ${kpi.grains.map((grain) => grain.toUpperCase()).join(', ')}. Without it, one point per dimension group.` },
  };
  if (kpi.dimensions.length > 0) {
    const dimension = new GraphQLEnumType({
      name: kpiTypeNames.dimension(kpi),
      description: `A dimension of ${kpi.name}.`,
      values: Object.fromEntries(kpi.dimensions.map((d) => [d.enumValue, { value: d.field, description: d.description || undefined }])),
    });
    const where: GraphQLInputFieldConfigMap = Object.fromEntries(kpi.dimensions.map((d) => [d.field, { type: scalarFilter(d.type) }]));
    const whereType: GraphQLInputObjectType = new GraphQLInputObjectType({
      name: kpiTypeNames.where(kpi),
      description: `Conditions on the dimensions of ${kpi.name}, with the dataset filter operators.`,
      fields: () => ({
        ...where,
        and: { type: new GraphQLList(new GraphQLNonNull(whereType)) },
        or: { type: new GraphQLList(new GraphQLNonNull(whereType)) },
        not: { type: whereType },
      }),
    });
    args['groupBy'] = { type: new GraphQLList(new GraphQLNonNull(dimension)), description: 'Dimensions to split the series by.' };
    args['where'] = { type: whereType };
  }
  args['compareTo'] = { type: KpiComparison, description: 'Fills `previous` and `change` from the compared period (one engine query for both).' };
  const value = valueType(kpi);
  const point = new GraphQLObjectType({
    name: kpiTypeNames.point(kpi),
    description: `One point of ${kpi.name}${kpi.unit ? ` (unit: ${kpi.unit})` : ''}.`,
    fields: {
      time: { type: time, description: 'Start of the bucket (UTC); null without a grain.' },
      ...Object.fromEntries(kpi.dimensions.map((d) => [d.field, { type: scalarFor(d.type), description: 'Null unless grouped by this dimension (or the value is null).' }])),
      value: { type: value, description: kpi.description || undefined },
      previous: { type: value, description: 'The value of the same bucket and dimensions in the compared period (with compareTo).' },
      change: { type: GraphQLFloat, description: '(value - previous) / previous; null when previous is 0 or null.' },
    },
  });
  return {
    type: nonNullList(point),
    description: [kpi.description, kpi.unit ? `Unit: ${kpi.unit}.` : '', `Fresh within ${Math.round(kpi.freshnessMs / 1000)} s.`].filter(Boolean).join(' '),
    args,
    extensions: { lakegate: { kind: 'kpi' } },
  };
}

/** `Decimal`, `BigInt` or `Float` as the measure dictates; min/max keep the column's type. */
function valueType(kpi: Kpi): GraphQLOutputType {
  if (kpi.measure.kind === 'ratio') return GraphQLFloat;
  const { fn, column } = kpi.measure.aggregate;
  if (fn === 'count' || fn === 'countDistinct') return BigIntScalar;
  if (fn === 'avg' || !column) return GraphQLFloat;
  const type = column.type;
  if (fn === 'sum') return type.kind === 'decimal' ? DecimalScalar : type.kind === 'int' || type.kind === 'bigint' ? BigIntScalar : GraphQLFloat;
  return scalarFor(type);
}
