import type { FieldNode } from 'graphql';
import { columnByField, columnByName } from '../catalog/columns';
import type { Dataset } from '../catalog/types';
import { and, column } from '../query/expr';
import { LakegateError } from '../query/errors';
import type { ColumnPath, Expr, OrderTerm, PerKeyLimit, RowQuery, SelectColumn } from '../query/types';
import type { Limits } from './context';
import { buildFilter, type FilterInput } from './filter';
import { singleEntry, type Direction } from './order';
import { resolvePaging } from './paging';

export interface RowArgs {
  readonly where?: FilterInput | null;
  readonly orderBy?: readonly Readonly<Record<string, Direction>>[] | null;
  readonly limit?: number | null;
  readonly offset?: number | null;
}

/** Extra constraints a relation load adds to the caller's own arguments. */
export interface RowConstraints {
  readonly keyFilter?: Expr;
  readonly keyColumn?: string;
  readonly perKeyLimit?: PerKeyLimit;
}

/**
 * Plans a dataset read: only the columns the selection needs (plus relation keys), the
 * caller's filter, its order with the primary key as tie-breaker (stable pages), and the page.
 */
export function planRows(dataset: Dataset, args: RowArgs, selected: ReadonlyMap<string, readonly FieldNode[]>, limits: Limits, constraints: RowConstraints = {}): RowQuery {
  // Relation loads are bounded by their keys (and per-key limit), not by a page.
  const paging = constraints.keyFilter ? { limit: null, offset: 0 } : resolvePaging(args.limit, args.offset, limits);
  const where = and([buildFilter(args.where, dataset), constraints.keyFilter].filter((part): part is Expr => Boolean(part)));
  return {
    kind: 'rows',
    from: { kind: 'table', table: dataset.table },
    select: selectColumns(dataset, selected, constraints.keyColumn),
    where: where.kind === 'constant' && where.value ? null : where,
    orderBy: orderTerms(dataset, args.orderBy ?? []),
    limit: paging.limit,
    offset: paging.offset,
    perKeyLimit: constraints.perKeyLimit ?? null,
  };
}

function selectColumns(dataset: Dataset, selected: ReadonlyMap<string, readonly FieldNode[]>, keyColumn?: string): SelectColumn[] {
  const names = new Set<string>();
  for (const field of selected.keys()) {
    const col = columnByField(dataset, field);
    if (col) names.add(col.name);
    const relation = dataset.relations.find((rel) => rel.field === field);
    if (relation) names.add(relation.from);
  }
  if (keyColumn) names.add(keyColumn);
  // A selection of only `__typename` still needs one column for valid SQL and a row count.
  if (names.size === 0) names.add(dataset.primaryKey[0] ?? dataset.columns[0]!.name);
  return [...names].map((name) => ({ alias: name, column: column(name) }));
}

function orderTerms(dataset: Dataset, orderBy: readonly Readonly<Record<string, Direction>>[]): OrderTerm<ColumnPath>[] {
  const terms = orderBy.map((item) => {
    const [field, direction] = singleEntry(item, 'orderBy');
    const col = columnByField(dataset, field);
    if (!col) throw new LakegateError('BAD_USER_INPUT', `cannot order by "${field}"`);
    return { target: column(col.name), ...direction };
  });
  const ordered = new Set(terms.map((term) => term.target.path[0]));
  const tieBreakers = dataset.primaryKey
    .filter((name) => !ordered.has(name) && columnByName(dataset, name))
    .map((name) => ({ target: column(name), direction: 'asc' as const, nulls: 'last' as const }));
  return [...terms, ...tieBreakers];
}
