import { toCamelCase } from '../catalog/naming';
import type { Dataset, HiveType, KpiDimension } from '../catalog/types';
import { and, column, compare, inList, isNull, like, not, or } from '../query/expr';
import { LakegateError } from '../query/errors';
import type { ColumnPath, CompareOp, Expr, ValueType } from '../query/types';
import { toLiteral } from './literals';

/** A `where` argument as GraphQL hands it over (already coerced, keyed by field names). */
export type FilterInput = Readonly<Record<string, unknown>>;

const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];

/** What a filter key names at one level: a scalar (a column or struct field), a struct to nest into, or something not filterable. */
type Target =
  | { readonly kind: 'scalar'; readonly path: readonly string[]; readonly type: ValueType }
  | { readonly kind: 'struct'; readonly level: Level }
  | { readonly kind: 'none' };

/** Field name → what it filters, for one level of a dataset, a struct, or a KPI's dimensions. */
type Level = (key: string) => Target | undefined;

function hiveLevel(fields: ReadonlyMap<string, { readonly name: string; readonly type: HiveType }>, prefix: readonly string[]): Level {
  return (key) => {
    const field = fields.get(key);
    if (!field) return undefined;
    const path = [...prefix, field.name];
    if (field.type.kind === 'scalar') return { kind: 'scalar', path, type: field.type.value };
    if (field.type.kind !== 'struct') return { kind: 'none' };
    return { kind: 'struct', level: hiveLevel(new Map(field.type.fields.map((sub) => [toCamelCase(sub.name), sub])), path) };
  };
}

function datasetLevel(dataset: Dataset): Level {
  return hiveLevel(new Map(dataset.columns.map((col) => [col.field, { name: col.name, type: col.type }])), []);
}

/**
 * Translates a caller's `where` into the expression tree. Sibling keys are ANDed; `and`, `or`
 * and `not` nest. Column names come from the catalog, values become typed literals.
 */
export function buildFilter(input: FilterInput | null | undefined, dataset: Dataset): Expr | null {
  if (!input) return null;
  return objectFilter(input, datasetLevel(dataset));
}

/** A KPI's `where`, keyed by its dimension fields (`deviceOs` filters `device.os`). */
export function buildDimensionFilter(input: FilterInput | null | undefined, dimensions: readonly KpiDimension[]): Expr | null {
  if (!input) return null;
  const byField = new Map(dimensions.map((dimension) => [dimension.field, dimension]));
  return objectFilter(input, (key) => {
    const dimension = byField.get(key);
    return dimension && { kind: 'scalar', path: dimension.path, type: dimension.type };
  });
}

function objectFilter(input: FilterInput, level: Level): Expr {
  const parts: Expr[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (value === null) throw new LakegateError('BAD_USER_INPUT', `"${key}: null" is not a filter; leave it out, or use isNull`);
    if (key === 'and' || key === 'or') {
      const list = (value as FilterInput[]).map((item) => objectFilter(item, level));
      parts.push(key === 'and' ? and(list) : or(list));
    } else if (key === 'not') {
      parts.push(not(objectFilter(value as FilterInput, level)));
    } else {
      const target = level(key);
      if (!target) throw new LakegateError('BAD_USER_INPUT', `unknown filter field "${key}"`);
      if (target.kind === 'struct') parts.push(objectFilter(value as FilterInput, target.level));
      else if (target.kind === 'scalar') parts.push(columnFilter(value as FilterInput, column(...target.path), target.type));
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
