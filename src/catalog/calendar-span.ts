import type { CalendarSpan } from './types';

const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** An ISO-8601 duration (`P30D`, `P12M`, `P1Y2M`, `PT6H`, `P2W`), or null when it is not one or is zero. */
export function parseCalendarSpan(text: string): CalendarSpan | null {
  const match = ISO_DURATION.exec(text.trim().toUpperCase());
  if (!match || text.trim().toUpperCase().endsWith('T')) return null;
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const span = {
    months: years! * 12 + months!,
    days: weeks! * 7 + days!,
    milliseconds: ((hours! * 60 + minutes!) * 60 + seconds!) * 1000,
  };
  return span.months + span.days + span.milliseconds > 0 ? span : null;
}

/** `instant` moved back by `span` (UTC calendar arithmetic: month ends clamp, `2024-03-31 - P1M` = `2024-02-29`). */
export function subtractSpan(instant: Date, span: CalendarSpan): Date {
  return addMonths(new Date(instant.getTime() - span.days * 86_400_000 - span.milliseconds), -span.months);
}

/** UTC months added, the day of month clamped to the target month's length. */
export function addMonths(instant: Date, months: number): Date {
  if (months === 0) return new Date(instant.getTime());
  const result = new Date(instant.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** The span as ISO-8601 again (`P30D`, `P1Y`, `PT6H`). */
export function formatCalendarSpan(span: CalendarSpan): string {
  const years = Math.floor(span.months / 12);
  const seconds = span.milliseconds / 1000;
  const date = `${years ? `${years}Y` : ''}${span.months % 12 ? `${span.months % 12}M` : ''}${span.days ? `${span.days}D` : ''}`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest ? `${rest}S` : ''}`;
  return `P${date}${time ? `T${time}` : ''}`;
}
