import { LakegateError } from '../query/errors';
import type { NullsOrder, SortDirection } from '../query/types';

/** The internal value of an `OrderDirection` enum value. */
export interface Direction {
  readonly direction: SortDirection;
  readonly nulls: NullsOrder;
}

/** An `orderBy` list item must name exactly one key: `{ amount: DESC }`. */
export function singleEntry<T>(item: Readonly<Record<string, T | null | undefined>>, what: string): [string, T] {
  const entries = Object.entries(item).filter((entry): entry is [string, T] => entry[1] !== undefined && entry[1] !== null);
  if (entries.length !== 1) {
    throw new LakegateError('BAD_USER_INPUT', `each ${what} item must name exactly one field, e.g. [{ a: ASC }, { b: DESC }] (got ${entries.length})`);
  }
  return entries[0]!;
}
