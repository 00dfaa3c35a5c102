import type { ColumnRef, Dataset, Kpi, KpiAggregate, KpiDimension } from '../../catalog/types';
import { and, column, compare } from '../../query/expr';
import { LakegateError } from '../../query/errors';
import type { AggregateQuery, Expr, GroupKey, Measure, OrderTerm, AliasRef, TimeGrain } from '../../query/types';
import { buildDimensionFilter, buildFilter, type FilterInput } from '../filter';
import { toLiteral } from '../literals';
import { dayAligned, previousPeriod, type Comparison, type TimeRange } from './range';

/** A KPI field's arguments as GraphQL hands them over (`groupBy`: dimension fields, `grain`: a TimeGrain value). */
export interface KpiArgs {
  readonly from?: string | null;
  readonly to?: string | null;
  readonly grain?: TimeGrain | null;
  readonly groupBy?: readonly string[] | null;
  readonly where?: FilterInput | null;
  readonly compareTo?: Comparison | null;
}

/** Output aliases of a KPI query: short and lower case so every engine hands them back unchanged. */
export const KPI_ALIASES = { time: 't', period: 'p', value: 'v', numerator: 'n', denominator: 'd' } as const;

export interface KpiPlan {
  readonly query: AggregateQuery;
  /** The grouped dimensions with their output aliases, in point order. */
  readonly dimensions: readonly { readonly dimension: KpiDimension; readonly alias: string }[];
  readonly grain: TimeGrain | null;
  readonly compared: boolean;
  readonly ratio: boolean;
}

/** The arguments checked against what the KPI allows; every refusal names the KPI and the argument. */
export function checkKpiArgs(kpi: Kpi, args: KpiArgs): void {
  const where = `kpis.${kpi.name}`;
  if (args.grain && !kpi.grains.includes(args.grain)) {
    throw new LakegateError('BAD_USER_INPUT', `${where}: grain ${args.grain.toUpperCase()} is not allowed (allowed: ${kpi.grains.map((grain) => grain.toUpperCase()).join(', ')})`);
  }
  const groupBy = args.groupBy ?? [];
  if (groupBy.length > kpi.dimensions.length || new Set(groupBy).size !== groupBy.length) {
    throw new LakegateError('BAD_USER_INPUT', `${where}: groupBy names each of the ${kpi.dimensions.length} dimension(s) at most once (got ${groupBy.length})`);
  }
}

/**
 * A KPI request as the same logical aggregate query a dataset aggregate becomes: the range on the
 * time column, the measure's own filter, the caller's filter on dimensions, grouped by the asked
 * dimensions and time bucket, in a total order (time, then dimensions). With `compareTo`, both
 * periods come from this one query.
 */
export function planKpi(kpi: Kpi, dataset: Dataset, args: KpiArgs, range: TimeRange, maxPoints: number): KpiPlan {
  const dateColumn = kpi.time.type.kind === 'date';
  const current = dateColumn ? dayAligned(range) : range;
  const dimensions = (args.groupBy ?? []).map((field, index) => ({ dimension: kpi.dimensions.find((d) => d.field === field)!, alias: `g${index}` }));
  const grain = args.grain ?? null;
  const keys: GroupKey[] = [
    ...(grain ? [{ alias: KPI_ALIASES.time, column: column(...kpi.time.path), grain }] : []),
    ...dimensions.map(({ dimension, alias }) => ({ alias, column: column(...dimension.path), grain: null })),
  ];
  const { measures, filter } = kpiMeasures(kpi, dataset);
  const callerFilter = buildDimensionFilter(args.where, kpi.dimensions);
  const where = and([filter, callerFilter].filter((part): part is Expr => part !== null));
  const orderBy: OrderTerm<AliasRef>[] = keys.map((key) => ({ target: { alias: key.alias }, direction: 'asc', nulls: 'last' }));
  const comparison = args.compareTo ? previousPeriod(current, args.compareTo, dateColumn) : null;
  const query: AggregateQuery = {
    kind: 'aggregate',
    from: { kind: 'table', table: dataset.table },
    where: comparison ? nonTrivial(where) : nonTrivial(and([rangeFilter(kpi.time, current), where])),
    groupBy: keys,
    measures,
    orderBy,
    // One row past the bound tells a series that is too long from one that just fits.
    limit: (comparison ? 2 : 1) * maxPoints + 1,
    offset: 0,
    compare: comparison && {
      time: column(...kpi.time.path),
      current: rangeFilter(kpi.time, current),
      previous: rangeFilter(kpi.time, comparison.range),
      shift: comparison.shift,
      periodAlias: KPI_ALIASES.period,
    },
  };
  return { query, dimensions, grain, compared: comparison !== null, ratio: kpi.measure.kind === 'ratio' };
}

/**
 * The measure(s) and the filter that goes to WHERE: a plain measure's own filter filters rows; a
 * ratio's parts share theirs there when equal and otherwise each measures only its own rows.
 */
function kpiMeasures(kpi: Kpi, dataset: Dataset): { measures: Measure[]; filter: Expr | null } {
  if (kpi.measure.kind === 'aggregate') {
    return { measures: [measureOf(KPI_ALIASES.value, kpi.measure.aggregate, null)], filter: buildFilter(kpi.measure.aggregate.where, dataset) };
  }
  const [numerator, denominator] = kpi.measure.parts;
  if (JSON.stringify(numerator.where) === JSON.stringify(denominator.where)) {
    return {
      measures: [measureOf(KPI_ALIASES.numerator, numerator, null), measureOf(KPI_ALIASES.denominator, denominator, null)],
      filter: buildFilter(numerator.where, dataset),
    };
  }
  return {
    measures: [
      measureOf(KPI_ALIASES.numerator, numerator, buildFilter(numerator.where, dataset)),
      measureOf(KPI_ALIASES.denominator, denominator, buildFilter(denominator.where, dataset)),
    ],
    filter: null,
  };
}

function measureOf(alias: string, aggregate: KpiAggregate, filter: Expr | null): Measure {
  return {
    alias,
    fn: aggregate.fn,
    column: aggregate.column ? column(...aggregate.column.path) : null,
    columnType: aggregate.column?.type ?? null,
    filter,
  };
}

/** `[from, to)` on the time column, as literals of its type. */
function rangeFilter(time: ColumnRef, range: TimeRange): Expr {
  const literal = (instant: Date) => (time.type.kind === 'date'
    ? toLiteral(instant.toISOString().slice(0, 10), time.type)
    : toLiteral(instant.toISOString(), time.type));
  const col = column(...time.path);
  return and([compare('gte', col, literal(range.from)), compare('lt', col, literal(range.to))]);
}

function nonTrivial(expr: Expr): Expr | null {
  return expr.kind === 'constant' && expr.value ? null : expr;
}

/** The query finding the latest value of the KPI's time column in the caller's view: where a default range ends. */
export function latestQuery(kpi: Kpi, dataset: Dataset): AggregateQuery {
  return {
    kind: 'aggregate',
    from: { kind: 'table', table: dataset.table },
    where: null,
    groupBy: [],
    measures: [{ alias: 'latest', fn: 'max', column: column(...kpi.time.path), columnType: kpi.time.type }],
    orderBy: [],
    limit: null,
    offset: 0,
  };
}
