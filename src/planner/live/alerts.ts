import type { Kpi, KpiThreshold } from '../../catalog/types';
import type { TimeGrain } from '../../query/types';
import type { KpiArgs } from '../kpis/plan';
import type { KpiPoint } from '../kpis/points';

/** A threshold crossing, as `kpiAlerts` and webhooks report it. */
export interface KpiAlert {
  readonly kpi: string;
  /** `above 10`, `below 100 where channel = web`. */
  readonly threshold: string;
  readonly crossed: 'above' | 'below';
  readonly value: number;
  /** Start of the bucket whose value crossed (ISO-8601), null without a grain. */
  readonly time: string | null;
  readonly dimensions: Readonly<Record<string, string | number | boolean>>;
  readonly message: string;
}

const GRAIN_ORDER: readonly TimeGrain[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];

/** Thresholds that watch the same points: the same dimension values. */
export interface ThresholdWatch {
  readonly kpi: Kpi;
  readonly thresholds: readonly KpiThreshold[];
  /** The series they watch: the KPI's default range at its finest grain, filtered to the dimension values. */
  readonly args: KpiArgs;
}

/**
 * What the alerts of a KPI watch: for each set of dimension values its thresholds name (none:
 * the KPI as a whole), the KPI's default range at its finest allowed grain, filtered to those
 * values. The value compared is the latest bucket's.
 */
export function thresholdWatches(kpi: Kpi): ThresholdWatch[] {
  const groups = new Map<string, KpiThreshold[]>();
  for (const threshold of kpi.thresholds) {
    const key = JSON.stringify(Object.entries(threshold.dimensions).sort(([a], [b]) => a.localeCompare(b)));
    groups.set(key, [...(groups.get(key) ?? []), threshold]);
  }
  const grain = GRAIN_ORDER.find((candidate) => kpi.grains.includes(candidate)) ?? null;
  return [...groups.values()].map((thresholds) => {
    const dimensions = Object.entries(thresholds[0]!.dimensions).map(([name, value]) => [fieldOf(kpi, name), value] as const);
    return {
      kpi,
      thresholds,
      args: {
        grain,
        ...(dimensions.length > 0 ? { where: Object.fromEntries(dimensions.map(([field, value]) => [field, { eq: value }])) } : {}),
      },
    };
  });
}

/** A dimension named by its field (`deviceOs`) or its path (`device.os`), as thresholds may name it. */
function fieldOf(kpi: Kpi, name: string): string {
  return kpi.dimensions.find((dimension) => dimension.field === name || dimension.path.join('.') === name)?.field ?? name;
}

/**
 * The crossings between two evaluations of a watch: a threshold whose condition holds now on the
 * latest bucket and did not hold on the previous evaluation's latest bucket. Edge-triggered: a
 * value that stays over a threshold alerts once. Without a previous evaluation nothing is a
 * crossing (the first one is the baseline).
 */
export function crossings(watch: ThresholdWatch, previous: readonly KpiPoint[] | null, current: readonly KpiPoint[]): KpiAlert[] {
  if (previous === null) return [];
  const before = latest(previous);
  const now = latest(current);
  if (!now || now.value === null) return [];
  return watch.thresholds.flatMap((threshold) => {
    const crossed = condition(threshold, now.value!);
    const was = before?.value === null || before === null ? null : condition(threshold, before.value);
    if (!crossed || was === crossed) return [];
    const description = describe(threshold);
    return [{
      kpi: watch.kpi.name,
      threshold: description,
      crossed,
      value: now.value!,
      time: now.time,
      dimensions: threshold.dimensions,
      message: threshold.message ?? `${watch.kpi.name} is ${now.value} (${description})`,
    }];
  });
}

/** The latest bucket's value as a number (points come ordered by time). */
function latest(points: readonly KpiPoint[]): { value: number | null; time: string | null } | null {
  const point = points.at(-1);
  if (!point) return null;
  const value = point['value'];
  return { value: value === null || value === undefined ? null : Number(value), time: typeof point['time'] === 'string' ? point['time'] : null };
}

function condition(threshold: KpiThreshold, value: number): 'above' | 'below' | null {
  if (threshold.above !== null && value > threshold.above) return 'above';
  if (threshold.below !== null && value < threshold.below) return 'below';
  return null;
}

export function describe(threshold: KpiThreshold): string {
  const bounds = [threshold.above !== null ? `above ${threshold.above}` : '', threshold.below !== null ? `below ${threshold.below}` : ''].filter(Boolean).join(' or ');
  const where = Object.entries(threshold.dimensions).map(([name, value]) => `${name} = ${value}`).join(' and ');
  return where ? `${bounds} where ${where}` : bounds;
}
