import { epochSeconds } from './format.mjs';

/**
 * KPI points → what a chart draws: bucket starts (seconds) and lines of values aligned to them,
 * null where a line has no point. Pure functions.
 */

/** The KPI as a whole: its values, and the compared period's as a dashed line. */
export function totalSeries(points) {
  return {
    times: points.map((point) => epochSeconds(point.time)),
    lines: [
      { label: 'value', values: points.map((point) => toNumber(point.value)) },
      { label: 'previous period', values: points.map((point) => toNumber(point.previous)), dashed: true },
    ],
    omitted: 0,
  };
}

/** One line per value of the dimension `field`, the `maxLines` largest (by total) kept. */
export function seriesByDimension(points, field, maxLines) {
  const times = [...new Set(points.map((point) => point.time))].sort((a, b) => epochSeconds(a) - epochSeconds(b));
  const index = new Map(times.map((time, i) => [time, i]));
  const lines = new Map();
  for (const point of points) {
    const label = point[field] === null || point[field] === undefined ? '(none)' : String(point[field]);
    if (!lines.has(label)) lines.set(label, { label, values: times.map(() => null), total: 0 });
    const line = lines.get(label);
    const value = toNumber(point.value);
    line.values[index.get(point.time)] = value;
    line.total += Math.abs(value ?? 0);
  }
  const ranked = [...lines.values()].sort((a, b) => b.total - a.total);
  return {
    times: times.map(epochSeconds),
    lines: ranked.slice(0, maxLines).map(({ label, values }) => ({ label, values })),
    omitted: Math.max(0, ranked.length - maxLines),
  };
}

function toNumber(value) {
  return value === null || value === undefined ? null : Number(value);
}
