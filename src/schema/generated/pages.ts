import { GraphQLBoolean, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString, type GraphQLFieldConfig, type GraphQLInputObjectType } from 'graphql';
import type { Dataset } from '../../catalog/types';
import type { PlannerContext } from '../../planner/context';
import { pageResolver } from '../../resolvers/datasets';
import { typeNames } from './names';
import { nonNullList } from './shared';

/** Shared by every `<Dataset>Page`: where the page ends and whether another follows. */
export const PageInfo = new GraphQLObjectType({
  name: 'PageInfo',
  description: 'Where a page of rows ends, to ask for the next one.',
  fields: {
    endCursor: { type: GraphQLString, description: 'Pass as `after` to read the next page; null on the last page. Opaque, signed, bound to the caller and the query, and it expires (`paging.cursorTtl`).' },
    hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean), description: 'True when another page follows (it holds at least one row).' },
  },
});

/** `<dataset>Page(first, after, where, orderBy) { rows pageInfo }`: a dataset read by cursor, for reading everything. */
export function buildPageField(dataset: Dataset, object: GraphQLObjectType, inputs: { filter: GraphQLInputObjectType; orderBy: GraphQLInputObjectType | null }): GraphQLFieldConfig<unknown, PlannerContext> {
  const type = new GraphQLObjectType({
    name: typeNames.page(dataset.typeName),
    description: `One page of ${dataset.typeName} rows and where it ends.`,
    fields: {
      rows: { type: nonNullList(object), description: `The page's ${dataset.typeName} rows, in the requested order (the primary key breaks ties).` },
      pageInfo: { type: new GraphQLNonNull(PageInfo), description: 'Where this page ends.' },
    },
  });
  return {
    type: new GraphQLNonNull(type),
    description: `${dataset.typeName} rows page by page, for reading a large result: pass each page's \`pageInfo.endCursor\` as \`after\` with the same arguments and selection. A later page never re-runs the whole query (it reads on from the engine's result, or seeks past the last row's key).`,
    args: {
      first: { type: GraphQLInt, description: 'Rows in the page (default and maximum as for `limit`; above the maximum is an error).' },
      after: { type: GraphQLString, description: 'The previous page\'s `pageInfo.endCursor`; absent for the first page.' },
      where: { type: inputs.filter, description: `Conditions on the ${dataset.typeName} rows.` },
      ...(inputs.orderBy ? { orderBy: { type: new GraphQLList(new GraphQLNonNull(inputs.orderBy)), description: 'Sort order; the primary key is appended to make it total.' } } : {}),
    },
    resolve: pageResolver(dataset) as never,
    extensions: { lakegate: { kind: 'page' } },
  };
}
