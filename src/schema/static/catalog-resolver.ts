import { Ctx, Query, Resolver } from 'type-graphql';
import { formatCalendarSpan } from '../../catalog/calendar-span';
import type { Catalog, Dataset, HiveType, Kpi, KpiAggregate } from '../../catalog/types';
import type { Engine } from '../../datasources/types';
import { kpiRoute } from '../../planner/kpis/run';
import { routeQuery, type RoutingRules } from '../../router/route';
import { typeNames } from '../generated/names';
import { scalarFor } from '../generated/shared';
import { CatalogInfo, type DatasetInfo, type KpiInfo } from './catalog-types';

export interface CatalogContext {
  /** What the caller may read. */
  readonly catalog: Catalog;
  /** Datasets the caller may know exist (Lake Formation DESCRIBE) but not read. */
  readonly describeOnly: readonly Dataset[];
  /** To say which engine a KPI is read from. */
  readonly routing: RoutingRules;
  readonly engines: ReadonlyMap<string, Engine>;
}

@Resolver()
export class CatalogResolver {
  @Query(() => CatalogInfo, { description: 'Discovery: the datasets (and KPIs) this caller may query, with their columns.' })
  catalog(@Ctx() context: CatalogContext): CatalogInfo {
    const readable = context.catalog.datasets.map(describeDataset);
    const listed = context.describeOnly.map((dataset) => ({ ...describeDataset(dataset), readable: false, columns: [], relations: [] }));
    const kpis = context.catalog.kpis.map((kpi) => describeKpi(kpi, context));
    return { datasets: [...readable, ...listed], kpis };
  }
}

function describeKpi(kpi: Kpi, context: CatalogContext): KpiInfo {
  const dataset = context.catalog.datasets.find((candidate) => candidate.name === kpi.dataset)!;
  const route = routeQuery(kpiRoute(kpi, dataset), context.routing, new Set(context.engines.keys()));
  return {
    name: kpi.name,
    description: kpi.description,
    unit: kpi.unit,
    format: kpi.format,
    dataset: kpi.dataset,
    measure: kpi.measure.kind === 'ratio' ? `ratio(${kpi.measure.numerator}, ${kpi.measure.denominator})` : describeAggregate(kpi.measure.aggregate),
    time: kpi.time.path.join('.'),
    dimensions: kpi.dimensions.map((dimension) => dimension.enumValue),
    grains: kpi.grains.map((grain) => grain.toUpperCase()),
    defaultRange: formatCalendarSpan(kpi.defaultRange),
    freshnessSeconds: Math.round(kpi.freshnessMs / 1000),
    engine: route?.engine ?? '',
    sla: kpi.slaBound,
    thresholds: kpi.thresholds.map((threshold) => ({
      above: threshold.above,
      below: threshold.below,
      dimensions: Object.keys(threshold.dimensions).length > 0 ? JSON.stringify(threshold.dimensions) : null,
    })),
  };
}

function describeAggregate(aggregate: KpiAggregate): string {
  const measure = `${aggregate.fn}(${aggregate.column ? aggregate.column.path.join('.') : '*'})`;
  return aggregate.where ? `${measure} where ${JSON.stringify(aggregate.where)}` : measure;
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
