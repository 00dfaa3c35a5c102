// Type-checked in CI against the generated client types: if the schema drifts from what
// these operations expect, `npm test` fails here.
import type { DailyRevenueByChannelQuery, MonthlyRevenueQuery, TopTransactionsQuery, TransactionsPageQuery } from '../generated/client-types';

export function totalAmount(result: TopTransactionsQuery): string {
  const cents = result.transactions.reduce((sum, row) => sum + BigInt(Math.round(Number(row.amount ?? '0') * 100)), 0n);
  return (Number(cents) / 100).toFixed(2);
}

export function busiestDay(result: DailyRevenueByChannelQuery): string | null {
  const sorted = [...result.transactionsAggregate].sort((a, b) => Number(b.count) - Number(a.count));
  return sorted[0]?.key.ts ?? null;
}

/** The currency whose revenue grew most against the previous period. */
export function fastestGrowing(result: MonthlyRevenueQuery): string | null {
  const growing = result.kpis.revenue.filter((point) => point.change !== null && point.change !== undefined);
  growing.sort((a, b) => (b.change ?? 0) - (a.change ?? 0));
  return growing[0]?.currency ?? null;
}

/** The `after` of the next page, or null when this was the last one. */
export function nextPageAfter(result: TransactionsPageQuery): string | null {
  return result.transactionsPage.pageInfo.hasNextPage ? result.transactionsPage.pageInfo.endCursor ?? null : null;
}
