import type { ColumnPath, Expr, LogicalQuery } from './types';

/** Top-level catalog columns an expression reads. */
export function exprColumns(expr: Expr | null | undefined, into = new Set<string>()): Set<string> {
  if (!expr) return into;
  if (expr.kind === 'and' || expr.kind === 'or') expr.args.forEach((arg) => exprColumns(arg, into));
  else if (expr.kind === 'not') exprColumns(expr.arg, into);
  else if (expr.kind !== 'constant') addColumn(expr.column, into);
  return into;
}

/** Catalog columns a query reads (selected, filtered, ordered, grouped, aggregated), sorted: for the audit and for projections. */
export function columnsRead(query: LogicalQuery): string[] {
  const names = exprColumns(query.where);
  if (query.kind === 'rows') {
    query.select.forEach((item) => addColumn(item.column, names));
    query.orderBy.forEach((term) => addColumn(term.target, names));
    addColumn(query.perKeyLimit?.partitionBy ?? null, names);
  } else {
    query.groupBy.forEach((key) => addColumn(key.column, names));
    query.measures.forEach((measure) => {
      addColumn(measure.column, names);
      exprColumns(measure.filter, names);
    });
    addColumn(query.compare?.time ?? null, names);
  }
  return [...names].sort();
}

function addColumn(column: ColumnPath | null, into: Set<string>): void {
  if (column?.path[0]) into.add(column.path[0]);
}
