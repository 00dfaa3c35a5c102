import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { Catalog } from '../catalog/types';
import { buildDatasetQueryFields } from './generated/fields';
import { buildKpiFieldShapes, buildKpisField } from './generated/kpis';
import { buildSubscriptionType } from './generated/subscriptions';
import { CatalogResolver } from './static/catalog-resolver';
import { QueryStatusResolver } from './static/query-status';

/**
 * One schema: the static types (type-graphql classes: discovery, long-query status) merged with the dataset and
 * KPI types generated from the catalog.
 */
export async function buildLakeSchema(catalog: Catalog): Promise<GraphQLSchema> {
  const staticSchema = await buildSchema({ resolvers: [CatalogResolver, QueryStatusResolver], validate: false });
  const staticQuery = staticSchema.getQueryType()!.toConfig();
  const generated = buildDatasetQueryFields(catalog.datasets);
  const clash = Object.keys(generated).find((name) => name in staticQuery.fields);
  if (clash) throw new Error(`dataset field "${clash}" collides with a built-in Query field; rename the dataset`);
  const shapes = buildKpiFieldShapes(catalog.kpis);
  const kpis = buildKpisField(catalog.kpis, shapes);
  const query = new GraphQLObjectType({ ...staticQuery, fields: { ...staticQuery.fields, ...generated, ...(kpis ? { kpis } : {}) } });
  const subscription = buildSubscriptionType(catalog.kpis, shapes);
  // graphql-js refuses two different types with one name, so a clash stops start-up here.
  return new GraphQLSchema({ query, ...(subscription ? { subscription } : {}) });
}

