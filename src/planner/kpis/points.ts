import type { Kpi } from '../../catalog/types';
import type { Row, RowValue } from '../../datasources/types';
import { isNumeric } from '../../catalog/columns';
import { KPI_ALIASES, type KpiPlan } from './plan';

/** One point of a KPI series, keyed by the point type's field names. */
export type KpiPoint = Readonly<Record<string, RowValue>>;

/**
 * Turns the engine's rows into points, in the query's order (time, then dimensions): the value
 * (a ratio divided here, from the two measures of one query), and with `compareTo` the previous
 * period's value of the same bucket and dimensions, and the relative change.
 */
export function shapePoints(kpi: Kpi, plan: KpiPlan, rows: readonly Row[]): KpiPoint[] {
  const value = (row: Row): RowValue => (plan.ratio ? ratio(row[KPI_ALIASES.numerator], row[KPI_ALIASES.denominator]) : row[KPI_ALIASES.value] ?? null);
  const current = plan.compared ? rows.filter((row) => Number(row[KPI_ALIASES.period]) === 0) : rows;
  const previous = new Map(plan.compared
    ? rows.filter((row) => Number(row[KPI_ALIASES.period]) === 1).map((row) => [groupKey(plan, row), value(row)])
    : []);
  const numeric = measureIsNumeric(kpi);
  return current.map((row) => {
    const point: Record<string, RowValue> = { time: plan.grain ? row[KPI_ALIASES.time] ?? null : null };
    for (const dimension of kpi.dimensions) point[dimension.field] = null;
    for (const { dimension, alias } of plan.dimensions) point[dimension.field] = row[alias] ?? null;
    point['value'] = value(row);
    if (plan.compared) {
      const before = previous.get(groupKey(plan, row)) ?? null;
      point['previous'] = before;
      point['change'] = numeric ? change(point['value'], before) : null;
    } else {
      point['previous'] = null;
      point['change'] = null;
    }
    return point;
  });
}

function measureIsNumeric(kpi: Kpi): boolean {
  if (kpi.measure.kind !== 'aggregate') return true;
  const { fn, column } = kpi.measure.aggregate;
  return fn === 'count' || fn === 'countDistinct' || (column !== null && isNumeric(column.type));
}

/** The bucket and dimension values of a row: what a current point and its previous point share. */
function groupKey(plan: KpiPlan, row: Row): string {
  return JSON.stringify([plan.grain ? row[KPI_ALIASES.time] : null, ...plan.dimensions.map(({ alias }) => row[alias] ?? null)]);
}

function ratio(numerator: RowValue | undefined, denominator: RowValue | undefined): number | null {
  if (numerator === null || numerator === undefined || denominator === null || denominator === undefined) return null;
  const divisor = Number(denominator);
  return divisor === 0 ? null : Number(numerator) / divisor;
}

/** `(value - previous) / previous`; null when either is null or previous is 0. */
function change(value: RowValue, previous: RowValue): number | null {
  if (value === null || previous === null) return null;
  const base = Number(previous);
  return base === 0 ? null : (Number(value) - base) / base;
}
