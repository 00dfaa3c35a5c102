/** How the tiles word numbers, changes, buckets and threshold states. Pure functions. */

const GRAIN_ORDER = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];

/** The finest grain a KPI allows: the one its threshold alerts watch, so the tile starts there. */
export function finestGrain(grains) {
  return GRAIN_ORDER.find((grain) => grains.includes(grain)) ?? grains[0];
}

/** A formatter for a KPI's values: the fraction digits of its format hint (`#,##0.00`), else at most two. */
export function valueFormatter(format) {
  const decimals = typeof format === 'string' ? /\.(0+)/.exec(format) : null;
  const digits = decimals ? decimals[1].length : null;
  const number = new Intl.NumberFormat(undefined, digits === null
    ? { maximumFractionDigits: 2 }
    : { minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Decimal and BigInt values arrive as strings: Intl formats those digit for digit.
  return (value) => (value === null || value === undefined ? '–' : number.format(value));
}

/** `change` is (value - previous) / previous; null when there is nothing to compare with. */
export function describeChange(change) {
  if (change === null || change === undefined) return { direction: 'none', text: 'no previous period to compare with' };
  const percent = change * 100;
  const direction = percent > 0 ? 'up' : percent < 0 ? 'down' : 'flat';
  return { direction, text: `${percent > 0 ? '+' : ''}${percent.toFixed(1)}% vs previous period` };
}

/**
 * The state of the KPI-wide thresholds (those naming no dimension values) for one value, as the
 * server's alerts judge it: above when over `above`, below when under `below`. Thresholds on
 * particular dimension values are left to the alert list.
 */
export function thresholdState(thresholds, value) {
  const wide = thresholds.filter((threshold) => threshold.dimensions === null);
  if (wide.length === 0) return { state: 'none', text: 'no threshold' };
  if (value === null || value === undefined) return { state: 'unknown', text: 'no value' };
  const number = Number(value);
  for (const threshold of wide) {
    if (threshold.above !== null && number > threshold.above) return { state: 'above', text: `above ${threshold.above}` };
    if (threshold.below !== null && number < threshold.below) return { state: 'below', text: `below ${threshold.below}` };
  }
  return { state: 'ok', text: 'ok' };
}

/** A bucket's start (`2024-03-31T23:00:00Z`, or a date) as the grain names it, in UTC like the API. */
export function describeBucket(time, grain) {
  if (time === null || time === undefined) return 'the whole range';
  const iso = new Date(Date.parse(time)).toISOString();
  const day = iso.slice(0, 10);
  switch (grain) {
    case 'HOUR': return `the hour from ${day} ${iso.slice(11, 16)} UTC`;
    case 'DAY': return `the day ${day}`;
    case 'WEEK': return `the week from ${day}`;
    case 'MONTH': return `the month ${iso.slice(0, 7)}`;
    case 'QUARTER': return `the quarter from ${iso.slice(0, 7)}`;
    default: return `the year ${iso.slice(0, 4)}`;
  }
}

/** Bucket start in seconds since the epoch, uPlot's unit for time. */
export function epochSeconds(time) {
  return Date.parse(time) / 1000;
}
