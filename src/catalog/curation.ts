import type { DatasetConfig } from '../config/schema';
import { toCamelCase } from './naming';
import type { Dataset, DatasetColumn, GlueTable, HiveType, Issue, Relation, Staged } from './types';

/**
 * Applies the curation file's dataset entries to the Glue tables: names, descriptions,
 * hidden columns, primary keys and relations. Every reference is checked here, so later stages
 * can trust the catalog.
 */
export function curateDatasets(configs: readonly DatasetConfig[], tables: readonly GlueTable[], engines: readonly string[]): Staged<Dataset[]> {
  const issues: Issue[] = [];
  const byTable = new Map(tables.map((table) => [`${table.database}.${table.name}`.toLowerCase(), table]));
  const datasets = configs.flatMap((config, index) => {
    const path = `datasets[${index}]`;
    const table = byTable.get(config.table.toLowerCase());
    if (!table) {
      issues.push({ path: `${path}.table`, message: `no table "${config.table}" in the Glue catalog` });
      return [];
    }
    return [buildDataset(config, table, path, engines, issues)];
  });
  checkUniqueNames(configs, issues);
  checkRelations(configs, datasets, issues);
  return { value: datasets, issues };
}

function buildDataset(config: DatasetConfig, table: GlueTable, path: string, configured: readonly string[], issues: Issue[]): Dataset {
  const known = new Set(table.columns.map((col) => col.name));
  const checkColumn = (name: string, at: string): boolean => {
    if (known.has(name)) return true;
    issues.push({ path: at, message: `no column "${name}" in ${config.table}` });
    return false;
  };
  Object.keys(config.columns).forEach((name) => checkColumn(name, `${path}.columns.${name}`));
  config.hiddenColumns.forEach((name, i) => checkColumn(name, `${path}.hiddenColumns[${i}]`));
  config.primaryKey.forEach((name, i) => checkColumn(name, `${path}.primaryKey[${i}]`));

  const hidden = new Set(config.hiddenColumns);
  const columns: DatasetColumn[] = table.columns
    .filter((col) => !hidden.has(col.name))
    .map((col) => ({
      name: col.name,
      field: config.columns[col.name]?.field ?? toCamelCase(col.name),
      type: col.type,
      typeText: col.typeText,
      description: config.columns[col.name]?.description ?? col.comment ?? '',
      partitionKey: col.partitionKey,
    }));
  checkUniqueFields(columns, config, path, issues);
  if (config.requirePartitionFilter && !columns.some((col) => col.partitionKey)) {
    issues.push({ path: `${path}.requirePartitionFilter`, message: `${config.table} has no exposed partition column to filter on (hidden or not partitioned)` });
  }

  const relations: Relation[] = Object.entries(config.relations).map(([field, rel]) => {
    const [from, to] = Object.entries(rel.on)[0]!;
    checkColumn(from, `${path}.relations.${field}.on`);
    return { field, kind: rel.kind, target: rel.dataset, from, to, description: rel.description ?? '' };
  });
  return {
    name: config.name,
    typeName: config.type,
    description: config.description ?? table.description ?? '',
    table: { database: table.database, table: table.name },
    location: table.location,
    format: table.format,
    columns,
    primaryKey: config.primaryKey,
    relations,
    engines: datasetEngines(config, path, configured, issues),
    slaBound: config.sla,
    preferredEngine: config.engine ?? null,
    cacheTtlMs: config.cache?.ttl ?? null,
    requirePartitionFilter: config.requirePartitionFilter,
  };
}

function checkUniqueFields(columns: readonly DatasetColumn[], config: DatasetConfig, path: string, issues: Issue[]): void {
  const relationFields = new Set(Object.keys(config.relations));
  const seen = new Set<string>();
  for (const col of columns) {
    if (seen.has(col.field) || relationFields.has(col.field)) {
      issues.push({ path: `${path}.columns.${col.name}`, message: `field name "${col.field}" is used twice in dataset "${config.name}"` });
    }
    seen.add(col.field);
  }
}

/** The query fields a dataset named `name` gets: its rows, its aggregates and its cursor pages. */
export function datasetQueryFields(name: string): readonly string[] {
  return [name, `${name}Aggregate`, `${name}Page`];
}

/** Query fields and types the API defines itself; a dataset may not take their names. */
const RESERVED_FIELDS = new Set(['catalog', 'kpis', 'queryStatus']);
const RESERVED_TYPES = new Set([
  'Query', 'Mutation', 'Subscription', 'String', 'Int', 'Float', 'Boolean', 'ID', 'BigInt', 'Decimal', 'DateTime', 'Date',
  'OrderDirection', 'TimeGrain', 'CatalogInfo', 'DatasetInfo', 'ColumnInfo', 'RelationInfo', 'KpiInfo', 'KpiThresholdInfo', 'QueryStatus', 'QueryState',
  'Kpis', 'KpiComparison', 'KpiAlert', 'PageInfo',
]);

function checkUniqueNames(configs: readonly DatasetConfig[], issues: Issue[]): void {
  const fields = new Map<string, number>();
  const types = new Map<string, number>();
  configs.forEach((config, index) => {
    for (const field of datasetQueryFields(config.name)) {
      if (RESERVED_FIELDS.has(field)) issues.push({ path: `datasets[${index}].name`, message: `"${field}" is a built-in query field; choose another dataset name` });
      const other = fields.get(field);
      if (other !== undefined) {
        issues.push({ path: `datasets[${index}].name`, message: `query field "${field}" is already used by datasets[${other}]` });
        break;
      }
      fields.set(field, index);
    }
    if (RESERVED_TYPES.has(config.type)) issues.push({ path: `datasets[${index}].type`, message: `"${config.type}" is a built-in type name; choose another` });
    const other = types.get(config.type);
    if (other !== undefined) issues.push({ path: `datasets[${index}].type`, message: `type name "${config.type}" is already used by datasets[${other}]` });
    types.set(config.type, index);
  });
}

function checkRelations(configs: readonly DatasetConfig[], datasets: readonly Dataset[], issues: Issue[]): void {
  const byName = new Map(datasets.map((dataset) => [dataset.name, dataset]));
  configs.forEach((config, index) => {
    for (const [field, rel] of Object.entries(config.relations)) {
      const at = `datasets[${index}].relations.${field}`;
      const target = byName.get(rel.dataset);
      if (!target) {
        issues.push({ path: `${at}.dataset`, message: `no dataset "${rel.dataset}"` });
        continue;
      }
      const [from, to] = Object.entries(rel.on)[0]!;
      const toColumn = target.columns.find((col) => col.name === to);
      const fromColumn = byName.get(config.name)?.columns.find((col) => col.name === from);
      if (!toColumn) {
        issues.push({ path: `${at}.on`, message: `no column "${to}" in dataset "${rel.dataset}"` });
      } else if (fromColumn && !joinable(fromColumn.type, toColumn.type)) {
        issues.push({ path: `${at}.on`, message: `cannot join ${from} (${fromColumn.typeText}) to ${rel.dataset}.${to} (${toColumn.typeText}): keys must be scalars of one kind` });
      }
    }
  });
}

const KEY_FAMILY: Readonly<Record<string, string>> = { int: 'integer', bigint: 'integer', float: 'float', double: 'float' };

function joinable(a: HiveType, b: HiveType): boolean {
  if (a.kind !== 'scalar' || b.kind !== 'scalar') return false;
  const family = (type: typeof a.value): string => KEY_FAMILY[type.kind] ?? type.kind;
  return family(a.value) === family(b.value);
}

function datasetEngines(config: DatasetConfig, path: string, configured: readonly string[], issues: Issue[]): string[] {
  const engines = config.engines ?? [...configured];
  engines.forEach((name, i) => {
    if (!configured.includes(name)) issues.push({ path: `${path}.engines[${i}]`, message: `no engine "${name}" is configured (engines: ${configured.join(', ')})` });
  });
  if (config.engine && !engines.includes(config.engine)) issues.push({ path: `${path}.engine`, message: `"${config.engine}" is not one of this dataset's engines (${engines.join(', ')})` });
  return engines;
}
