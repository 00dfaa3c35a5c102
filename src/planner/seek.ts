import type { RowValue } from '../datasources/types';
import { and, compare, constant, isNull, or } from '../query/expr';
import type { ColumnPath, Expr, OrderTerm, ValueType } from '../query/types';
import { toLiteral } from './literals';

/** One term of a total order with the type of its column, so a key value binds with its own type. */
export interface SeekTerm extends OrderTerm<ColumnPath> {
  readonly type: ValueType;
}

/**
 * The rows strictly after `last` (one value per term) in the order `terms` — which must be total
 * (end with the primary key) — as a filter: for some term i, every earlier term equals its value
 * and term i comes after it. Nulls sort where each term says (NULLS FIRST / LAST, as the compiler
 * writes ORDER BY), so a null key value is equal only to null, and after it come the non-null
 * values (nulls first) or nothing (nulls last). Values travel as typed literals, never as SQL.
 */
export function seekAfter(terms: readonly SeekTerm[], last: readonly RowValue[]): Expr {
  return or(terms.map((term, index) => and([
    ...terms.slice(0, index).map((earlier, at) => equalTo(earlier, last[at] ?? null)),
    after(term, last[index] ?? null),
  ])));
}

function equalTo(term: SeekTerm, value: RowValue): Expr {
  return value === null ? isNull(term.target) : compare('eq', term.target, toLiteral(value, term.type));
}

function after(term: SeekTerm, value: RowValue): Expr {
  if (value === null) return term.nulls === 'first' ? isNull(term.target, true) : constant(false);
  const beyond = compare(term.direction === 'asc' ? 'gt' : 'lt', term.target, toLiteral(value, term.type));
  return term.nulls === 'last' ? or([beyond, isNull(term.target)]) : beyond;
}
