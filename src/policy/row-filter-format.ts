import type { ColumnPath, Expr, ExprKind, ExprOf, Literal } from '../query/types';
import { KEYWORDS } from './row-filter-lexer';

/**
 * Prints an expression in the row filter subset: upper-case keywords, minimal parentheses.
 * `parseRowFilter(formatRowFilter(e), table)` gives back `e` with nested AND / OR chains
 * flattened. The `constant` node has no spelling in the subset and prints as TRUE / FALSE,
 * which the parser rejects; the parser never produces it.
 */
export function formatRowFilter(expr: Expr): string {
  return format(expr);
}

/** Binding strength: a child binding looser than its parent is parenthesised. */
const PRECEDENCE: { readonly [K in ExprKind]: number } = {
  or: 1, and: 2, not: 3, compare: 4, in: 4, between: 4, like: 4, isNull: 4, constant: 4,
};

const COMPARE_TEXT = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** DATE and TIMESTAMP are only keywords before a string, but quoting them is always safe. */
const RESERVED: ReadonlySet<string> = new Set([...KEYWORDS, 'date', 'timestamp']);

const HANDLERS: { readonly [K in ExprKind]: (expr: ExprOf<K>) => string } = {
  or: (expr) => joinArgs(expr.args, ' OR ', PRECEDENCE.or, 'FALSE'),
  and: (expr) => joinArgs(expr.args, ' AND ', PRECEDENCE.and, 'TRUE'),
  not: (expr) => (expr.arg.kind === 'between' ? formatBetween(expr.arg, true) : `NOT ${child(expr.arg, PRECEDENCE.not)}`),
  compare: (expr) => `${formatColumn(expr.column)} ${COMPARE_TEXT[expr.op]} ${formatLiteral(expr.value)}`,
  in: (expr) =>
    `${formatColumn(expr.column)} ${expr.negated ? 'NOT IN' : 'IN'} (${expr.values.map((value) => formatLiteral(value)).join(', ')})`,
  between: (expr) => formatBetween(expr, false),
  like: (expr) => `${formatColumn(expr.column)} ${expr.negated ? 'NOT LIKE' : 'LIKE'} ${formatPattern(String(expr.pattern.value))}`,
  isNull: (expr) => `${formatColumn(expr.column)} IS ${expr.negated ? 'NOT NULL' : 'NULL'}`,
  constant: (expr) => (expr.value ? 'TRUE' : 'FALSE'),
};

function format(expr: Expr): string {
  return (HANDLERS[expr.kind] as (node: Expr) => string)(expr);
}

function child(expr: Expr, parentPrecedence: number): string {
  const text = format(expr);
  return PRECEDENCE[expr.kind] < parentPrecedence ? `(${text})` : text;
}

function joinArgs(args: readonly Expr[], separator: string, precedence: number, empty: string): string {
  return args.length === 0 ? empty : args.map((arg) => child(arg, precedence)).join(separator);
}

function formatBetween(expr: ExprOf<'between'>, negated: boolean): string {
  const keyword = negated ? 'NOT BETWEEN' : 'BETWEEN';
  return `${formatColumn(expr.column)} ${keyword} ${formatLiteral(expr.low)} AND ${formatLiteral(expr.high)}`;
}

function formatColumn(col: ColumnPath): string {
  return col.path.map((name) => (PLAIN_NAME.test(name) && !RESERVED.has(name.toLowerCase()) ? name : `"${name.replace(/"/g, '""')}"`)).join('.');
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Our patterns escape with a backslash; PartiQL has no escape character unless one is named,
 * and with `ESCAPE '\'` the two conventions coincide.
 */
function formatPattern(pattern: string): string {
  return pattern.includes('\\') ? `${quote(pattern)} ESCAPE '\\'` : quote(pattern);
}

function formatLiteral(literal: Literal): string {
  switch (literal.type.kind) {
    case 'string':
      return quote(String(literal.value));
    case 'boolean':
      return literal.value === true ? 'TRUE' : 'FALSE';
    case 'date':
      return `DATE ${quote(String(literal.value))}`;
    case 'timestamp':
      return `TIMESTAMP ${quote(String(literal.value))}`;
    default:
      return String(literal.value);
  }
}
