import { GraphQLList, GraphQLNonNull, type GraphQLFieldConfigMap } from 'graphql';
import type { Dataset } from '../../catalog/types';
import type { PlannerContext } from '../../planner/context';
import { aggregateResolver, rowsResolver } from '../../resolvers/datasets';
import { buildAggregateField } from './aggregates';
import { buildDatasetInputs, type DatasetInputs } from './inputs';
import { buildObjectTypes } from './objects';
import { buildPageField } from './pages';
import { limitArgs, nonNullList } from './shared';

/** The Query fields generated from the catalog: `<dataset>`, `<dataset>Page` and `<dataset>Aggregate` per dataset. */
export function buildDatasetQueryFields(datasets: readonly Dataset[]): GraphQLFieldConfigMap<unknown, PlannerContext> {
  const inputs = new Map<string, DatasetInputs>(datasets.map((dataset) => [dataset.name, buildDatasetInputs(dataset)]));
  const objects = buildObjectTypes(datasets, inputs);
  const fields: GraphQLFieldConfigMap<unknown, PlannerContext> = {};
  for (const dataset of datasets) {
    const { filter, orderBy } = inputs.get(dataset.name)!;
    fields[dataset.name] = {
      type: nonNullList(objects.get(dataset.name)!),
      description: [dataset.description, `Rows of \`${dataset.table.database}.${dataset.table.table}\`.`].filter(Boolean).join('\n\n'),
      args: {
        where: { type: filter },
        ...(orderBy ? { orderBy: { type: new GraphQLList(new GraphQLNonNull(orderBy)) } } : {}),
        ...limitArgs,
      },
      resolve: rowsResolver(dataset) as never,
      extensions: { lakegate: { kind: 'rows' } },
    };
    fields[`${dataset.name}Page`] = buildPageField(dataset, objects.get(dataset.name)!, { filter, orderBy });
    const aggregate = buildAggregateField(dataset, { filter, orderBy });
    fields[`${dataset.name}Aggregate`] = {
      type: aggregate.type,
      description: `Counts, sums, averages and extremes of ${dataset.typeName} rows, optionally grouped by columns and a time bucket.`,
      args: aggregate.args,
      resolve: aggregateResolver(dataset) as never,
      extensions: { lakegate: { kind: 'aggregate' } },
    };
  }
  return fields;
}
