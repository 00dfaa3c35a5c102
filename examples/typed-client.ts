// Type-checked in CI against the generated client types: if the schema drifts from what
// these operations expect, `npm test` fails here.
import type { DailyRevenueByChannelQuery, TopTransactionsQuery } from '../generated/client-types';

export function totalAmount(result: TopTransactionsQuery): string {
  const cents = result.transactions.reduce((sum, row) => sum + BigInt(Math.round(Number(row.amount ?? '0') * 100)), 0n);
  return (Number(cents) / 100).toFixed(2);
}

export function busiestDay(result: DailyRevenueByChannelQuery): string | null {
  const sorted = [...result.transactionsAggregate].sort((a, b) => Number(b.count) - Number(a.count));
  return sorted[0]?.key.ts ?? null;
}
