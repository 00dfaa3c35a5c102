import type { Dataset } from '../catalog/types';
import { and } from '../query/expr';
import { LakegateError } from '../query/errors';
import type { CompareOp, Expr, ExprKind, ExprOf, LogicalQuery } from '../query/types';

/**
 * Refuses, before anything runs, a query on a dataset with `requirePartitionFilter` whose own
 * filter lets the engine skip no partition: every table scan of the query must bound at least one
 * partition column. Only the query as planned counts (the caller's `where`, a relation's keys, a
 * KPI's range and filters), never the policy view's row filter, which the caller did not write.
 */
export function checkPartitionFilter(query: LogicalQuery, dataset: Dataset, path: string): void {
  if (!dataset.requirePartitionFilter) return;
  const partitions = new Set(dataset.columns.filter((col) => col.partitionKey).map((col) => col.name));
  if (scanFilters(query).every((filter) => prunedColumns(filter, partitions).size > 0)) return;
  const fields = dataset.columns.filter((col) => partitions.has(col.name)).map((col) => col.field);
  const named = fields.length === 1 ? `its partition column ${fields[0]}` : `one of its partition columns (${fields.join(', ')})`;
  throw new LakegateError(
    'LIMIT_EXCEEDED',
    `${path}: dataset "${dataset.name}" must be filtered on ${named} (eq, in, or a range, not only under or/not) so the engine reads only some partitions`,
    { limit: 'requirePartitionFilter', partitionColumns: fields },
  );
}

/**
 * The filter each scan of the table applies: the query's `where`, or for a comparison with a
 * previous period each period's own range with it (two scans).
 */
function scanFilters(query: LogicalQuery): (Expr | null)[] {
  if (query.kind === 'aggregate' && query.compare) {
    return [query.compare.current, query.compare.previous].map((range) => and(query.where ? [range, query.where] : [range]));
  }
  return [query.where];
}

/** The negation of each comparison, as a NOT in front of it reads (for non-null values). */
const NEGATED: Readonly<Record<CompareOp, CompareOp>> = { eq: 'ne', ne: 'eq', lt: 'gte', lte: 'gt', gt: 'lte', gte: 'lt' };

type Pruning<K extends ExprKind> = (expr: ExprOf<K>, partitions: ReadonlySet<string>, negated: boolean) => ReadonlySet<string>;

const NONE: ReadonlySet<string> = new Set();

/**
 * The partition columns `expr` bounds wherever it holds, so an engine can skip partitions: an
 * `eq`, `in` or range on the column, ANDed (an OR bounds a column only if every branch does; a
 * NOT flips what it covers). `ne`, `notIn`, `like` and `isNull` bound nothing worth skipping by.
 */
export function prunedColumns(expr: Expr | null, partitions: ReadonlySet<string>, negated = false): ReadonlySet<string> {
  if (!expr) return NONE;
  return (PRUNING[expr.kind] as Pruning<typeof expr.kind>)(expr, partitions, negated);
}

const PRUNING: { readonly [K in ExprKind]: Pruning<K> } = {
  // Under a NOT, an AND reads as an OR of the negated parts and the other way round (De Morgan).
  and: (expr, partitions, negated) => (negated ? intersection : union)(expr.args.map((arg) => prunedColumns(arg, partitions, negated))),
  or: (expr, partitions, negated) => (negated ? union : intersection)(expr.args.map((arg) => prunedColumns(arg, partitions, negated))),
  not: (expr, partitions, negated) => prunedColumns(expr.arg, partitions, !negated),
  compare: (expr, partitions, negated) => ((negated ? NEGATED[expr.op] : expr.op) === 'ne' ? NONE : partitionOf(expr.column.path, partitions)),
  in: (expr, partitions, negated) => (expr.negated !== negated ? NONE : partitionOf(expr.column.path, partitions)),
  between: (expr, partitions, negated) => (negated ? NONE : partitionOf(expr.column.path, partitions)),
  like: () => NONE,
  isNull: () => NONE,
  constant: () => NONE,
};

function partitionOf(path: readonly string[], partitions: ReadonlySet<string>): ReadonlySet<string> {
  return path.length === 1 && partitions.has(path[0]!) ? new Set(path) : NONE;
}

function union(sets: readonly ReadonlySet<string>[]): ReadonlySet<string> {
  return new Set(sets.flatMap((set) => [...set]));
}

function intersection(sets: readonly ReadonlySet<string>[]): ReadonlySet<string> {
  if (sets.length === 0) return NONE;
  return new Set([...sets[0]!].filter((name) => sets.every((set) => set.has(name))));
}
