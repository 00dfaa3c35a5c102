import {
  type GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLObjectType, type GraphQLFieldConfig, type GraphQLFieldConfigMap, type GraphQLOutputType,
} from 'graphql';
import { formatHiveType } from '../../catalog/hive-type';
import { toCamelCase } from '../../catalog/naming';
import type { Dataset, HiveType } from '../../catalog/types';
import type { PlannerContext } from '../../planner/context';
import { columnResolver, relationResolver } from '../../resolvers/datasets';
import { typeNames } from './names';
import { limitArgs, nonNullList, scalarFor } from './shared';

/**
 * One object type per dataset, with nested struct types, list fields for arrays, key/value
 * entry lists for maps, and relation fields. Every column field is nullable: a Lake Formation
 * cell filter may hide any cell.
 */
export function buildObjectTypes(
  datasets: readonly Dataset[],
  inputs: ReadonlyMap<string, { filter: GraphQLInputObjectType; orderBy: GraphQLInputObjectType | null }>,
): Map<string, GraphQLObjectType> {
  const objects = new Map<string, GraphQLObjectType>();
  const built = new Map<string, GraphQLObjectType>();
  for (const dataset of datasets) {
    objects.set(dataset.name, new GraphQLObjectType<Record<string, unknown>, PlannerContext>({
      name: dataset.typeName,
      description: dataset.description || undefined,
      fields: () => ({ ...columnFields(dataset, built), ...relationFields(dataset, datasets, objects, inputs) }),
    }));
  }
  return objects;
}

function columnFields(dataset: Dataset, built: Map<string, GraphQLObjectType>): GraphQLFieldConfigMap<Record<string, unknown>, PlannerContext> {
  return Object.fromEntries(dataset.columns.map((col) => [col.field, {
    type: outputType(col.type, dataset.typeName, col.field, built),
    description: describe(col.description, col.typeText, col.partitionKey),
    resolve: columnResolver(col.name),
  }]));
}

function describe(description: string, typeText: string, partitionKey: boolean): string {
  const facts = [`Lake type: \`${typeText}\`.`, partitionKey ? 'Partition key: filtering on it skips whole partitions.' : ''].filter(Boolean);
  return [description, ...facts].filter(Boolean).join('\n\n');
}

/** Builds output types for lake values; nested types are named after their path and built once. */
function outputType(type: HiveType, parent: string, field: string, built: Map<string, GraphQLObjectType>, element = false): GraphQLOutputType {
  switch (type.kind) {
    case 'scalar':
      return scalarFor(type.value);
    case 'array':
      return new GraphQLList(outputType(type.element, parent, field, built, true));
    case 'map':
      return new GraphQLList(new GraphQLNonNull(mapEntryType(type, typeNames.mapEntry(parent, field), built)));
    case 'struct':
      return structType(type, element ? typeNames.element(parent, field) : typeNames.struct(parent, field), built);
  }
}

function structType(type: Extract<HiveType, { kind: 'struct' }>, name: string, built: Map<string, GraphQLObjectType>): GraphQLObjectType {
  const existing = built.get(name);
  if (existing) return existing;
  const object = new GraphQLObjectType<Record<string, unknown>>({
    name,
    fields: () => Object.fromEntries(type.fields.map((sub) => [toCamelCase(sub.name), {
      type: outputType(sub.type, name, sub.name, built),
      description: `Struct field \`${sub.name}\` (lake type \`${formatHiveType(sub.type)}\`).`,
      resolve: columnResolver(sub.name),
    }])),
  });
  built.set(name, object);
  return object;
}

function mapEntryType(type: Extract<HiveType, { kind: 'map' }>, name: string, built: Map<string, GraphQLObjectType>): GraphQLObjectType {
  const existing = built.get(name);
  if (existing) return existing;
  const object = new GraphQLObjectType({
    name,
    description: 'One key/value entry of a map.',
    fields: () => ({
      key: { type: outputType(type.key, name, 'key', built) },
      value: { type: outputType(type.value, name, 'value', built) },
    }),
  });
  built.set(name, object);
  return object;
}

function relationFields(
  dataset: Dataset,
  datasets: readonly Dataset[],
  objects: ReadonlyMap<string, GraphQLObjectType>,
  inputs: ReadonlyMap<string, { filter: GraphQLInputObjectType; orderBy: GraphQLInputObjectType | null }>,
): GraphQLFieldConfigMap<Record<string, unknown>, PlannerContext> {
  const fields: GraphQLFieldConfigMap<Record<string, unknown>, PlannerContext> = {};
  for (const relation of dataset.relations) {
    const target = datasets.find((candidate) => candidate.name === relation.target);
    const object = target && objects.get(target.name);
    if (!target || !object) continue;
    const targetInputs = inputs.get(target.name)!;
    const resolve = relationResolver(relation, target) as GraphQLFieldConfig<Record<string, unknown>, PlannerContext>['resolve'];
    const config: GraphQLFieldConfig<Record<string, unknown>, PlannerContext> = relation.kind === 'one'
      ? { type: object, resolve }
      : {
        type: nonNullList(object),
        args: {
          where: { type: targetInputs.filter, description: `Conditions on the related ${target.typeName} rows.` },
          ...(targetInputs.orderBy ? { orderBy: { type: new GraphQLList(new GraphQLNonNull(targetInputs.orderBy)) } } : {}),
          limit: { ...limitArgs.limit, description: 'Maximum related rows per parent row.' },
        },
        resolve,
      };
    fields[relation.field] = {
      ...config,
      description: relation.description || `${relation.kind === 'one' ? 'The' : 'The list of'} related ${target.typeName}${relation.kind === 'one' ? '' : ' rows'} (${dataset.name}.${relation.from} = ${target.name}.${relation.to}).`,
      extensions: { lakegate: { kind: 'relation', many: relation.kind === 'many' } },
    };
  }
  return fields;
}
