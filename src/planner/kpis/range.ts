import { addMonths, subtractSpan } from '../../catalog/calendar-span';
import type { Kpi } from '../../catalog/types';
import { LakegateError } from '../../query/errors';
import type { Interval, TimeGrain } from '../../query/types';

/** A half-open range of instants `[from, to)`. */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

export type Comparison = 'previousPeriod' | 'previousYear';

/** The previous period to compare with: its range, and the shift that moves it onto the current one. */
export interface PreviousPeriod {
  readonly range: TimeRange;
  readonly shift: Interval;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The start of the UTC bucket holding `instant` (weeks start on Monday, as `date_trunc` does). */
export function bucketStart(instant: Date, grain: TimeGrain): Date {
  const y = instant.getUTCFullYear();
  const m = instant.getUTCMonth();
  switch (grain) {
    case 'hour': return new Date(Math.floor(instant.getTime() / HOUR_MS) * HOUR_MS);
    case 'day': return new Date(Date.UTC(y, m, instant.getUTCDate()));
    case 'week': {
      const day = new Date(Date.UTC(y, m, instant.getUTCDate()));
      return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
    }
    case 'month': return new Date(Date.UTC(y, m, 1));
    case 'quarter': return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'year': return new Date(Date.UTC(y, 0, 1));
  }
}

function nextBucket(start: Date, grain: TimeGrain): Date {
  switch (grain) {
    case 'hour': return new Date(start.getTime() + HOUR_MS);
    case 'day': return new Date(start.getTime() + DAY_MS);
    case 'week': return new Date(start.getTime() + 7 * DAY_MS);
    case 'month': return addMonths(start, 1);
    case 'quarter': return addMonths(start, 3);
    case 'year': return addMonths(start, 12);
  }
}

/**
 * The range a KPI request covers: `from`/`to` as given; a missing `to` is the end of the bucket
 * (the grain's, else the day's) holding the latest data the caller can see, and a missing `from`
 * is `to` minus the KPI's `defaultRange`. Null when the caller sees no data and gave no `to`.
 */
export function resolveRange(kpi: Kpi, args: { from?: string | null; to?: string | null; grain?: TimeGrain | null }, latest: Date | null): TimeRange | null {
  const from = args.from ? new Date(args.from) : null;
  const given = args.to ? new Date(args.to) : null;
  if (from && given && from.getTime() >= given.getTime()) {
    throw new LakegateError('BAD_USER_INPUT', `kpis.${kpi.name}: from (${args.from}) must be before to (${args.to}); the range is [from, to)`);
  }
  const to = given ?? (latest ? nextBucket(bucketStart(latest, args.grain ?? 'day'), args.grain ?? 'day') : null);
  if (!to) return null;
  return { from: from ?? subtractSpan(to, kpi.defaultRange), to };
}

/**
 * The period a `compareTo` compares with. PREVIOUS_YEAR: twelve months back. PREVIOUS_PERIOD: the
 * range's own length back — in calendar months when both ends start a month (March against
 * February), in whole days on a date column, else in milliseconds.
 */
export function previousPeriod(range: TimeRange, comparison: Comparison, dateColumn: boolean): PreviousPeriod {
  const shift = comparison === 'previousYear' ? { unit: 'month', amount: 12 } as const : periodLength(range, dateColumn);
  return { range: { from: shiftBack(range.from, shift), to: shiftBack(range.to, shift) }, shift };
}

function periodLength({ from, to }: TimeRange, dateColumn: boolean): Interval {
  if (isMonthStart(from) && isMonthStart(to)) {
    return { unit: 'month', amount: (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() };
  }
  const ms = to.getTime() - from.getTime();
  return dateColumn ? { unit: 'day', amount: Math.max(1, Math.round(ms / DAY_MS)) } : { unit: 'millisecond', amount: ms };
}

function isMonthStart(instant: Date): boolean {
  return instant.getTime() === Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1);
}

function shiftBack(instant: Date, shift: Interval): Date {
  if (shift.unit === 'month') return addMonths(instant, -shift.amount);
  return new Date(instant.getTime() - shift.amount * (shift.unit === 'day' ? DAY_MS : 1));
}

/** On a date column a range covers the days whose midnight lies in it: its ends rounded up to a day. */
export function dayAligned(range: TimeRange): TimeRange {
  const up = (instant: Date): Date => new Date(Math.ceil(instant.getTime() / DAY_MS) * DAY_MS);
  return { from: up(range.from), to: up(range.to) };
}
