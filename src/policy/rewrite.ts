import { LakegateError } from '../query/errors';
import type { LogicalQuery, TableView } from '../query/types';

/**
 * Puts the caller's view under a planned query. Fails closed: a query on a dataset with no
 * view for this caller is refused, never run unfiltered.
 */
export function applyPolicy(query: LogicalQuery, view: TableView | undefined): LogicalQuery {
  if (!view) throw new LakegateError('FORBIDDEN', 'you may not read this dataset');
  return { ...query, from: view };
}
