import { toCamelCase } from '../catalog/naming';
import type { Dataset, HiveType } from '../catalog/types';
import { and, column, compare, inList, isNull, like, not, or } from '../query/expr';
import { LakegateError } from '../query/errors';
import type { ColumnPath, CompareOp, Expr, ValueType } from '../query/types';
import { toLiteral } from './literals';

/** A `where` argument as GraphQL hands it over (already coerced, keyed by field names). */
export type FilterInput = Readonly<Record<string, unknown>>;

const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];

/** Field-name → (column name, type) for one level of a dataset or a struct. */
interface Level {
  readonly fields: ReadonlyMap<string, { readonly name: string; readonly type: HiveType }>;
}

function datasetLevel(dataset: Dataset): Level {
  return { fields: new Map(dataset.columns.map((col) => [col.field, { name: col.name, type: col.type }])) };
}

function structLevel(type: Extract<HiveType, { kind: 'struct' }>): Level {
  return { fields: new Map(type.fields.map((field) => [toCamelCase(field.name), { name: field.name, type: field.type }])) };
}

/**
 * Translates a caller's `where` into the expression tree. Sibling keys are ANDed; `and`, `or`
 * and `not` nest. Column names come from the catalog, values become typed literals.
 */
export function buildFilter(input: FilterInput | null | undefined, dataset: Dataset): Expr | null {
  if (!input) return null;
  return objectFilter(input, datasetLevel(dataset), []);
}

function objectFilter(input: FilterInput, level: Level, prefix: readonly string[]): Expr {
  const parts: Expr[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (value === null) throw new LakegateError('BAD_USER_INPUT', `"${key}: null" is not a filter; leave it out, or use isNull`);
    if (key === 'and' || key === 'or') {
      const list = (value as FilterInput[]).map((item) => objectFilter(item, level, prefix));
      parts.push(key === 'and' ? and(list) : or(list));
    } else if (key === 'not') {
      parts.push(not(objectFilter(value as FilterInput, level, prefix)));
    } else {
      const field = level.fields.get(key);
      if (!field) throw new LakegateError('BAD_USER_INPUT', `unknown filter field "${key}"`);
      const path = [...prefix, field.name];
      if (field.type.kind === 'struct') parts.push(objectFilter(value as FilterInput, structLevel(field.type), path));
      else if (field.type.kind === 'scalar') parts.push(columnFilter(value as FilterInput, column(...path), field.type.value));
      else throw new LakegateError('BAD_USER_INPUT', `"${key}" cannot be filtered`);
    }
  }
  return and(parts);
}

function columnFilter(input: FilterInput, col: ColumnPath, type: ValueType): Expr {
  const parts: Expr[] = [];
  for (const [op, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (value === null) throw new LakegateError('BAD_USER_INPUT', `"${op}: null" is not a filter; use isNull`);
    if ((COMPARE_OPS as readonly string[]).includes(op)) parts.push(compare(op as CompareOp, col, toLiteral(value, type)));
    else if (op === 'in' || op === 'notIn') parts.push(inList(col, (value as unknown[]).map((item) => toLiteral(item, type)), op === 'notIn'));
    else if (op === 'like' || op === 'notLike') parts.push(like(col, toLiteral(value, { kind: 'string' }), op === 'notLike'));
    else if (op === 'isNull') parts.push(isNull(col, value !== true));
    else throw new LakegateError('BAD_USER_INPUT', `unknown filter operator "${op}"`);
  }
  return and(parts);
}
