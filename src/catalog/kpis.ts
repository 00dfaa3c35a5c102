import type { KpiConfig } from '../config/schema';
import type { AggregateFn, TimeGrain } from '../query/types';
import { parseCalendarSpan } from './calendar-span';
import { datasetQueryFields } from './curation';
import { isNumeric, isOrdered, isTemporal, resolveColumnRef } from './columns';
import { toPascalCase, toScreamingSnakeCase } from './naming';
import type { ColumnRef, Dataset, Issue, Kpi, KpiAggregate, KpiDimension, KpiMeasure, Staged } from './types';

const ALL_GRAINS: readonly TimeGrain[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];
const MEASURE = /^\s*(count|countDistinct|sum|avg|min|max)\s*(?:\(\s*([A-Za-z_][\w.]*|\*)?\s*\))?\s*$/;
const RATIO = /^\s*ratio\s*\(\s*([_A-Za-z]\w*)\s*,\s*([_A-Za-z]\w*)\s*\)\s*$/;
/** Fields every point type has; a dimension may not take their names. */
const POINT_FIELDS = new Set(['time', 'value', 'previous', 'change']);
/** Subscription fields of the API's own (the live issue); a KPI may not take their names. */
const RESERVED_KPI_NAMES = new Set(['kpiAlerts']);

/** The generated type names of one KPI. */
export const kpiTypeNames = {
  point: (kpi: Pick<Kpi, 'typeName'>): string => `${kpi.typeName}Point`,
  dimension: (kpi: Pick<Kpi, 'typeName'>): string => `${kpi.typeName}Dimension`,
  where: (kpi: Pick<Kpi, 'typeName'>): string => `${kpi.typeName}Where`,
};

/**
 * Checks the curation file's KPIs against the curated datasets: every column, measure, grain,
 * duration, dimension and ratio is resolved here (the `where` of a measure is coerced later, with
 * the API's own input types), and each mistake is an issue at its path.
 */
export function curateKpis(configs: readonly KpiConfig[], datasets: readonly Dataset[], coerceWhere: CoerceWhere): Staged<Kpi[]> {
  const issues: Issue[] = [];
  const byName = new Map(datasets.map((dataset) => [dataset.name, dataset]));
  const aggregates = new Map<string, { aggregate: KpiAggregate; dataset: string; time: string }>();
  const kpis: Kpi[] = [];
  checkNames(configs, datasets, issues);
  // Plain measures first, so a ratio may name a KPI written after it.
  const ordered = configs.map((config, index) => ({ config, index })).sort((a, b) => Number(isRatio(a.config)) - Number(isRatio(b.config)));
  for (const { config, index } of ordered) {
    const at = `kpis[${index}]`;
    const dataset = byName.get(config.dataset);
    if (!dataset) {
      issues.push({ path: `${at}.dataset`, message: `no dataset "${config.dataset}"` });
      continue;
    }
    const kpi = buildKpi(config, dataset, at, { aggregates, coerceWhere }, issues);
    if (!kpi) continue;
    if (kpi.measure.kind === 'aggregate') aggregates.set(kpi.name, { aggregate: kpi.measure.aggregate, dataset: kpi.dataset, time: kpi.time.path[0]! });
    kpis[index] = kpi;
  }
  return { value: kpis.filter(Boolean), issues };
}

function isRatio(config: KpiConfig): boolean {
  return config.ratio !== undefined || typeof config.measure === 'object' || (typeof config.measure === 'string' && RATIO.test(config.measure));
}

/**
 * A measure's `where`, checked and coerced as the API would coerce a `where` argument of the
 * dataset (the caller provides it: the input types live with the schema).
 */
export type CoerceWhere = (dataset: Dataset, where: Readonly<Record<string, unknown>>) => { value: Readonly<Record<string, unknown>> } | { errors: readonly Issue[] };

type Aggregates = ReadonlyMap<string, { aggregate: KpiAggregate; dataset: string; time: string }>;

interface Known {
  readonly aggregates: Aggregates;
  readonly coerceWhere: CoerceWhere;
}

function buildKpi(config: KpiConfig, dataset: Dataset, at: string, known: Known, issues: Issue[]): Kpi | null {
  const before = issues.length;
  const time = resolveTime(config, dataset, at, issues);
  const measure = resolveMeasure(config, dataset, at, time, known, issues);
  const grains = resolveGrains(config, time, at, issues);
  const defaultRange = parseCalendarSpan(config.defaultRange);
  if (!defaultRange) issues.push({ path: `${at}.defaultRange`, message: `"${config.defaultRange}" is not an ISO-8601 duration such as P30D, P12M or PT6H` });
  const dimensions = resolveDimensions(config, dataset, at, issues);
  checkThresholds(config, dimensions, at, issues);
  if (issues.length > before || !time || !measure || !defaultRange) return null;
  const parts = measure.kind === 'aggregate' ? [measure.aggregate] : measure.parts;
  const reads = new Set([time.path[0]!, ...dimensions.map((dimension) => dimension.path[0]!)]);
  for (const part of parts) {
    if (part.column) reads.add(part.column.path[0]!);
    whereColumns(part.where, dataset).forEach((name) => reads.add(name));
  }
  return {
    name: config.name,
    typeName: toPascalCase(config.name),
    description: config.description,
    unit: config.unit,
    format: config.format ?? null,
    dataset: dataset.name,
    measure,
    time,
    grains,
    defaultRange,
    dimensions,
    freshnessMs: config.freshness,
    slaBound: config.sla,
    refreshMs: config.refresh ?? null,
    keepWarmMs: config.keepWarm,
    thresholds: config.thresholds.map((threshold) => ({
      above: threshold.above ?? null,
      below: threshold.below ?? null,
      dimensions: threshold.dimensions,
      message: threshold.message ?? null,
    })),
    reads: [...reads].sort(),
  };
}

/** Catalog columns a `where` (API syntax, by field names) refers to. */
function whereColumns(where: Readonly<Record<string, unknown>> | null, dataset: Dataset): string[] {
  if (!where) return [];
  return Object.entries(where).flatMap(([key, value]) => {
    if (key === 'and' || key === 'or') return (value as Readonly<Record<string, unknown>>[]).flatMap((item) => whereColumns(item, dataset));
    if (key === 'not') return whereColumns(value as Readonly<Record<string, unknown>>, dataset);
    const col = dataset.columns.find((candidate) => candidate.field === key);
    return col ? [col.name] : [];
  });
}

/**
 * The KPIs a caller may read, given the datasets as it may read them (authorised columns only):
 * a KPI whose dataset or any column it reads is out of reach does not exist for that caller.
 */
export function readableKpis(kpis: readonly Kpi[], readable: readonly Dataset[]): Kpi[] {
  const columns = new Map(readable.map((dataset) => [dataset.name, new Set(dataset.columns.map((col) => col.name))]));
  return kpis.filter((kpi) => {
    const visible = columns.get(kpi.dataset);
    return visible !== undefined && kpi.reads.every((name) => visible.has(name));
  });
}

function resolveTime(config: KpiConfig, dataset: Dataset, at: string, issues: Issue[]): ColumnRef | null {
  const resolved = resolveColumnRef(dataset, config.time);
  if ('error' in resolved) {
    issues.push({ path: `${at}.time`, message: resolved.error });
    return null;
  }
  if (resolved.ref.path.length > 1 || !isTemporal(resolved.ref.type)) {
    issues.push({ path: `${at}.time`, message: `"${config.time}" is not a timestamp or date column` });
    return null;
  }
  return resolved.ref;
}

function resolveGrains(config: KpiConfig, time: ColumnRef | null, at: string, issues: Issue[]): TimeGrain[] {
  const isDate = time?.type.kind === 'date';
  if (!config.grains) return ALL_GRAINS.filter((grain) => !(isDate && grain === 'hour'));
  config.grains.forEach((grain, i) => {
    if (isDate && grain === 'hour') issues.push({ path: `${at}.grains[${i}]`, message: `HOUR is not a grain of the date column "${config.time}"` });
  });
  return [...new Set(config.grains)];
}

function resolveMeasure(config: KpiConfig, dataset: Dataset, at: string, time: ColumnRef | null, known: Known, issues: Issue[]): KpiMeasure | null {
  const ratio = config.ratio ?? (typeof config.measure === 'object' ? config.measure.ratio : ratioOf(config.measure));
  if (ratio) {
    if (config.where) issues.push({ path: `${at}.where`, message: 'a ratio takes the filters of the KPIs it divides; remove where' });
    return resolveRatio(ratio, dataset, at, time, known.aggregates, issues);
  }
  const aggregate = parseAggregate(String(config.measure), dataset, `${at}.measure`, issues);
  const where = config.where ? known.coerceWhere(dataset, config.where) : { value: null };
  if ('errors' in where) {
    issues.push(...where.errors.map((issue) => ({ ...issue, path: `${at}.where${issue.path ? `.${issue.path}` : ''}` })));
    return null;
  }
  return aggregate ? { kind: 'aggregate', aggregate: { ...aggregate, where: where.value } } : null;
}

function ratioOf(measure: string | undefined): [string, string] | null {
  const match = measure === undefined ? null : RATIO.exec(measure);
  return match ? [match[1]!, match[2]!] : null;
}

function resolveRatio(names: readonly [string, string], dataset: Dataset, at: string, time: ColumnRef | null, aggregates: Aggregates, issues: Issue[]): KpiMeasure | null {
  const parts = names.map((name, i) => {
    const part = aggregates.get(name);
    const where = `${at}.ratio[${i}]`;
    if (!part) {
      issues.push({ path: where, message: `no KPI "${name}" with a measure of its own to divide (a ratio names two KPIs with plain measures)` });
      return null;
    }
    if (part.dataset !== dataset.name || part.time !== time?.path[0]) {
      issues.push({ path: where, message: `KPI "${name}" measures ${part.dataset} by ${part.time}; a ratio divides measures over the same dataset and time column (${dataset.name}, ${time?.path[0] ?? '?'})` });
      return null;
    }
    return part.aggregate;
  });
  if (!parts[0] || !parts[1]) return null;
  return { kind: 'ratio', numerator: names[0], denominator: names[1], parts: [parts[0], parts[1]] };
}

function parseAggregate(text: string, dataset: Dataset, at: string, issues: Issue[]): Omit<KpiAggregate, 'where'> | null {
  const match = MEASURE.exec(text);
  if (!match) {
    issues.push({ path: at, message: `"${text}" is not a measure: count, count(col), sum(col), avg(col), min(col), max(col), countDistinct(col) or ratio(kpiA, kpiB)` });
    return null;
  }
  const fn = match[1] as AggregateFn;
  const argument = match[2];
  if (fn === 'count' && (argument === undefined || argument === '*')) return { fn, column: null };
  if (argument === undefined || argument === '*') {
    issues.push({ path: at, message: `${fn} needs a column: ${fn}(col)` });
    return null;
  }
  const resolved = resolveColumnRef(dataset, argument);
  if ('error' in resolved) {
    issues.push({ path: at, message: fn === 'countDistinct' && /not a scalar/.test(resolved.error) ? `countDistinct needs a scalar column: ${resolved.error}` : resolved.error });
    return null;
  }
  const type = resolved.ref.type;
  if ((fn === 'sum' || fn === 'avg') && !isNumeric(type)) {
    issues.push({ path: at, message: `${fn}(${argument}): "${argument}" is ${type.kind}, not numeric` });
    return null;
  }
  if ((fn === 'min' || fn === 'max') && !isOrdered(type)) {
    issues.push({ path: at, message: `${fn}(${argument}): "${argument}" is ${type.kind}, which has no order` });
    return null;
  }
  return { fn, column: resolved.ref };
}

function resolveDimensions(config: KpiConfig, dataset: Dataset, at: string, issues: Issue[]): KpiDimension[] {
  const dimensions: KpiDimension[] = [];
  config.dimensions.forEach((text, i) => {
    const resolved = resolveColumnRef(dataset, text);
    if ('error' in resolved) {
      issues.push({ path: `${at}.dimensions[${i}]`, message: /not a scalar/.test(resolved.error) ? `a dimension must be a scalar column or struct field: ${resolved.error}` : resolved.error });
      return;
    }
    const field = resolved.fields[0]! + resolved.fields.slice(1).map((part) => toPascalCase(part)).join('');
    if (POINT_FIELDS.has(field) || dimensions.some((other) => other.field === field)) {
      issues.push({ path: `${at}.dimensions[${i}]`, message: `dimension "${text}" would be the point field "${field}", which is ${POINT_FIELDS.has(field) ? 'a field every point has' : 'already a dimension'}` });
      return;
    }
    const column = dataset.columns.find((col) => col.name === resolved.ref.path[0])!;
    dimensions.push({ ...resolved.ref, field, enumValue: toScreamingSnakeCase(field), description: resolved.ref.path.length === 1 ? column.description : '' });
  });
  return dimensions;
}

function checkThresholds(config: KpiConfig, dimensions: readonly KpiDimension[], at: string, issues: Issue[]): void {
  config.thresholds.forEach((threshold, i) => {
    if (threshold.above !== undefined && threshold.below !== undefined && threshold.below > threshold.above) {
      issues.push({ path: `${at}.thresholds[${i}]`, message: `below (${threshold.below}) is above "above" (${threshold.above}): no value could be inside` });
    }
    for (const key of Object.keys(threshold.dimensions)) {
      if (!dimensions.some((dimension) => dimension.field === key || dimension.path.join('.') === key)) {
        issues.push({ path: `${at}.thresholds[${i}].dimensions.${key}`, message: `"${key}" is not a dimension of KPI "${config.name}"` });
      }
    }
  });
}

/** KPI names are unique, and clash with no dataset field, generated type or built-in subscription field. */
function checkNames(configs: readonly KpiConfig[], datasets: readonly Dataset[], issues: Issue[]): void {
  const datasetFields = new Set(datasets.flatMap((dataset) => datasetQueryFields(dataset.name)));
  const datasetTypes = new Set(datasets.map((dataset) => dataset.typeName));
  const seen = new Map<string, number>();
  configs.forEach((config, index) => {
    const at = `kpis[${index}].name`;
    const other = seen.get(config.name);
    if (other !== undefined) issues.push({ path: at, message: `KPI "${config.name}" is already defined by kpis[${other}]` });
    seen.set(config.name, index);
    if (datasetFields.has(config.name)) issues.push({ path: at, message: `"${config.name}" is a dataset query field; choose another KPI name` });
    if (RESERVED_KPI_NAMES.has(config.name)) issues.push({ path: at, message: `"${config.name}" is a built-in field; choose another KPI name` });
    const typeName = toPascalCase(config.name);
    const clash = [kpiTypeNames.point({ typeName }), kpiTypeNames.dimension({ typeName }), kpiTypeNames.where({ typeName })].find((name) => datasetTypes.has(name));
    if (clash) issues.push({ path: at, message: `its type "${clash}" is already a dataset type` });
  });
}
