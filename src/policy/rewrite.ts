import { LakegateError } from '../query/errors';
import type { ColumnPath, Expr, LogicalQuery, TableView } from '../query/types';

/**
 * Puts the caller's view under a planned query. Fails closed: a query on a dataset with no
 * view for this caller is refused, never run unfiltered.
 */
export function applyPolicy(query: LogicalQuery, view: TableView | undefined): LogicalQuery {
  if (!view) throw new LakegateError('FORBIDDEN', 'you may not read this dataset');
  return { ...query, from: view };
}

/** Catalog columns a query reads (selected, filtered, ordered, grouped or aggregated), for audit. */
export function columnsRead(query: LogicalQuery): string[] {
  const names = new Set<string>();
  const add = (column: ColumnPath | null): void => {
    if (column?.path[0]) names.add(column.path[0]);
  };
  const walk = (expr: Expr | null): void => {
    if (!expr) return;
    if (expr.kind === 'and' || expr.kind === 'or') expr.args.forEach(walk);
    else if (expr.kind === 'not') walk(expr.arg);
    else if (expr.kind !== 'constant') add(expr.column);
  };
  walk(query.where);
  if (query.kind === 'rows') {
    query.select.forEach((item) => add(item.column));
    query.orderBy.forEach((term) => add(term.target));
    add(query.perKeyLimit?.partitionBy ?? null);
  } else {
    query.groupBy.forEach((key) => add(key.column));
    query.measures.forEach((measure) => add(measure.column));
  }
  return [...names].sort();
}
