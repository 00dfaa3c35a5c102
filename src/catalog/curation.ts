import type { DatasetConfig } from '../config/schema';
import { toCamelCase } from './naming';
import type { Dataset, DatasetColumn, GlueTable, Issue, Relation, Staged } from './types';

/**
 * Applies the curation file's dataset entries to the Glue tables: names, descriptions,
 * hidden columns, primary keys and relations. Every reference is checked here, so later stages
 * can trust the catalog.
 */
export function curateDatasets(configs: readonly DatasetConfig[], tables: readonly GlueTable[]): Staged<Dataset[]> {
  const issues: Issue[] = [];
  const byTable = new Map(tables.map((table) => [`${table.database}.${table.name}`.toLowerCase(), table]));
  const datasets = configs.flatMap((config, index) => {
    const path = `datasets[${index}]`;
    const table = byTable.get(config.table.toLowerCase());
    if (!table) {
      issues.push({ path: `${path}.table`, message: `no table "${config.table}" in the Glue catalog` });
      return [];
    }
    return [buildDataset(config, table, path, issues)];
  });
  checkUniqueNames(configs, issues);
  checkRelations(configs, datasets, issues);
  return { value: datasets, issues };
}

function buildDataset(config: DatasetConfig, table: GlueTable, path: string, issues: Issue[]): Dataset {
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
    engines: ['local'],
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

function checkUniqueNames(configs: readonly DatasetConfig[], issues: Issue[]): void {
  const names = new Map<string, number>();
  const types = new Map<string, number>();
  configs.forEach((config, index) => {
    if (names.has(config.name)) issues.push({ path: `datasets[${index}].name`, message: `dataset name "${config.name}" is already used by datasets[${names.get(config.name)}]` });
    if (types.has(config.type)) issues.push({ path: `datasets[${index}].type`, message: `type name "${config.type}" is already used by datasets[${types.get(config.type)}]` });
    names.set(config.name, index);
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
      const [, to] = Object.entries(rel.on)[0]!;
      if (!target.columns.some((col) => col.name === to)) {
        issues.push({ path: `${at}.on`, message: `no column "${to}" in dataset "${rel.dataset}"` });
      }
    }
  });
}
