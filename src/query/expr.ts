import type { ColumnPath, CompareOp, Expr, Literal } from './types';

/** Factories for expression nodes; they also fold trivial cases so trees stay small. */

export function column(...path: string[]): ColumnPath {
  return Object.freeze({ kind: 'column', path: Object.freeze([...path]) });
}

export function and(args: readonly Expr[]): Expr {
  const kept = args.filter((arg) => !(arg.kind === 'constant' && arg.value));
  if (kept.some((arg) => arg.kind === 'constant' && !arg.value)) return constant(false);
  if (kept.length === 0) return constant(true);
  if (kept.length === 1) return kept[0]!;
  return Object.freeze({ kind: 'and', args: Object.freeze(kept) });
}

export function or(args: readonly Expr[]): Expr {
  const kept = args.filter((arg) => !(arg.kind === 'constant' && !arg.value));
  if (kept.some((arg) => arg.kind === 'constant' && arg.value)) return constant(true);
  if (kept.length === 0) return constant(false);
  if (kept.length === 1) return kept[0]!;
  return Object.freeze({ kind: 'or', args: Object.freeze(kept) });
}

export function not(arg: Expr): Expr {
  return Object.freeze({ kind: 'not', arg });
}

export function compare(op: CompareOp, col: ColumnPath, value: Literal): Expr {
  return Object.freeze({ kind: 'compare', op, column: col, value });
}

export function inList(col: ColumnPath, values: readonly Literal[], negated = false): Expr {
  return Object.freeze({ kind: 'in', column: col, values: Object.freeze([...values]), negated });
}

export function between(col: ColumnPath, low: Literal, high: Literal): Expr {
  return Object.freeze({ kind: 'between', column: col, low, high });
}

export function like(col: ColumnPath, pattern: Literal, negated = false): Expr {
  return Object.freeze({ kind: 'like', column: col, pattern, negated });
}

export function isNull(col: ColumnPath, negated = false): Expr {
  return Object.freeze({ kind: 'isNull', column: col, negated });
}

export function constant(value: boolean): Expr {
  return Object.freeze({ kind: 'constant', value });
}
