import { Ctx, Query, Resolver } from 'type-graphql';
import type { Catalog, Dataset, HiveType } from '../../catalog/types';
import { typeNames } from '../generated/names';
import { scalarFor } from '../generated/shared';
import { CatalogInfo, type DatasetInfo } from './catalog-types';

export interface CatalogContext {
  /** What the caller may read. */
  readonly catalog: Catalog;
  /** Datasets the caller may know exist (Lake Formation DESCRIBE) but not read. */
  readonly describeOnly: readonly Dataset[];
}

@Resolver()
export class CatalogResolver {
  @Query(() => CatalogInfo, { description: 'Discovery: the datasets (and KPIs) this caller may query, with their columns.' })
  catalog(@Ctx() context: CatalogContext): CatalogInfo {
    const readable = context.catalog.datasets.map(describeDataset);
    const listed = context.describeOnly.map((dataset) => ({ ...describeDataset(dataset), readable: false, columns: [], relations: [] }));
    return { datasets: [...readable, ...listed], kpis: [] };
  }
}

function describeDataset(dataset: Dataset): DatasetInfo {
  return {
    name: dataset.name,
    typeName: dataset.typeName,
    description: dataset.description,
    table: `${dataset.table.database}.${dataset.table.table}`,
    columns: dataset.columns.map((col) => ({
      name: col.field,
      column: col.name,
      type: col.typeText,
      graphqlType: graphqlTypeName(col.type, dataset.typeName, col.field),
      description: col.description,
      partitionKey: col.partitionKey,
    })),
    relations: dataset.relations.map((rel) => ({ name: rel.field, dataset: rel.target, kind: rel.kind })),
    engines: [...dataset.engines],
    readable: true,
  };
}

function graphqlTypeName(type: HiveType, parent: string, field: string, element = false): string {
  switch (type.kind) {
    case 'scalar':
      return scalarFor(type.value).name;
    case 'array':
      return `[${graphqlTypeName(type.element, parent, field, true)}]`;
    case 'map':
      return `[${typeNames.mapEntry(parent, field)}!]`;
    case 'struct':
      return element ? typeNames.element(parent, field) : typeNames.struct(parent, field);
  }
}
