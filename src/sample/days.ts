/**
 * The sample's calendar: 2024-01-01 .. 2024-03-31 (91 days) whatever the size. Rows are laid
 * out in contiguous id ranges per day, so ids grow with time as they do in real systems and a
 * day's rows can be generated on their own (JSON output is written one day at a time).
 */

export const FIRST_DAY = '2024-01-01';
export const DAY_COUNT = 91;

/** SQL: the day index (0-based) of row `i` of `total`; the inverse of `dayStart`. */
export function dayOfRowSql(rowSql: string, total: number): string {
  return `((${rowSql}) * ${DAY_COUNT} // ${total})`;
}

/** First row index of day `day` when `total` rows are spread over the calendar. */
export function dayStart(day: number, total: number): number {
  return Math.floor((day * total + DAY_COUNT - 1) / DAY_COUNT);
}

/** `YYYY-MM-DD` of day `day`. */
export function dayLabel(day: number): string {
  const [year, month, date] = FIRST_DAY.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + day)).toISOString().slice(0, 10);
}

/** SQL: midnight (TIMESTAMP) of the day whose index is `daySql`. */
export function dayTimestampSql(daySql: string): string {
  return `(DATE '${FIRST_DAY}' + (${daySql})::INTEGER)::TIMESTAMP`;
}

/** SQL: the `YYYY-MM-DD` partition value of the day whose index is `daySql`. */
export function dayLabelSql(daySql: string): string {
  return `strftime(DATE '${FIRST_DAY}' + (${daySql})::INTEGER, '%Y-%m-%d')`;
}
