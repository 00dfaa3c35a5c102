import type { FieldNode } from 'graphql';
import { columnByField, columnByName, scalarValue } from '../catalog/columns';
import type { Dataset } from '../catalog/types';
import type { Row } from '../datasources/types';
import { column } from '../query/expr';
import { LakegateError } from '../query/errors';
import type { AggregateFn, AggregateQuery, AliasRef, GroupKey, Measure, OrderTerm, TimeGrain } from '../query/types';
import type { Limits } from './context';
import { buildFilter, type FilterInput } from './filter';
import { singleEntry, type Direction } from './order';
import { resolvePaging } from './paging';
import { collectFields, type SelectionScope } from './selection';

/** The per-column measure groups of an aggregate row, as named in the API. */
export const MEASURE_GROUPS = ['countDistinct', 'sum', 'avg', 'min', 'max'] as const;
export type MeasureGroup = (typeof MEASURE_GROUPS)[number];

type OrderInput = Readonly<Record<string, Direction | Readonly<Record<string, Direction>>>>;

export interface AggregateArgs {
  readonly where?: FilterInput | null;
  /** Column names (the internal values of the `<Type>Column` enum). */
  readonly groupBy?: readonly string[] | null;
  readonly timeGroup?: { readonly column: string; readonly grain: TimeGrain } | null;
  readonly orderBy?: readonly OrderInput[] | null;
  readonly limit?: number | null;
  readonly offset?: number | null;
}

/** Where each output alias goes in the nested aggregate object (`sum.amount`, `count`). */
export interface AggregateSlot {
  readonly alias: string;
  readonly group: 'key' | 'count' | MeasureGroup;
  readonly field: string | null;
}

export interface AggregatePlan {
  readonly query: AggregateQuery;
  readonly slots: readonly AggregateSlot[];
}

/**
 * Plans `<dataset>Aggregate`: keys from groupBy/timeGroup, one measure per selected leaf.
 * Aliases are short and lower case (`k0`, `m1`) so every engine hands them back unchanged.
 */
export function planAggregate(dataset: Dataset, args: AggregateArgs, nodes: readonly FieldNode[], scope: SelectionScope, limits: Limits): AggregatePlan {
  const paging = resolvePaging(args.limit, args.offset, limits);
  const groupBy = groupKeys(dataset, args);
  const slots: AggregateSlot[] = groupBy.map((key) => ({ alias: key.alias, group: 'key', field: columnByName(dataset, key.column.path[0]!)!.field }));
  const measures = new Map<string, Measure>();
  const addMeasure = (fn: AggregateFn, name: string | null): string => {
    const existing = [...measures.values()].find((m) => m.fn === fn && (m.column?.path[0] ?? null) === name);
    if (existing) return existing.alias;
    const alias = `m${measures.size}`;
    measures.set(alias, { alias, fn, column: name === null ? null : column(name), columnType: name === null ? null : scalarValue(columnByName(dataset, name)!.type) });
    slots.push({ alias, group: fn, field: name === null ? null : columnByName(dataset, name)!.field });
    return alias;
  };
  const selected = collectFields(nodes, scope);
  if (selected.has('count')) addMeasure('count', null);
  for (const group of MEASURE_GROUPS) {
    for (const field of collectFields(selected.get(group) ?? [], scope).keys()) {
      const col = columnByField(dataset, field);
      if (col) addMeasure(group, col.name);
    }
  }
  const orderBy = totalOrder((args.orderBy ?? []).map((item) => orderTerm(dataset, item, groupBy, addMeasure)), groupBy);
  // Selecting only `__typename` (or nothing engine-side) still needs one output column.
  if (groupBy.length === 0 && measures.size === 0) addMeasure('count', null);
  const query: AggregateQuery = {
    kind: 'aggregate',
    from: { kind: 'table', table: dataset.table },
    where: buildFilter(args.where, dataset),
    groupBy,
    measures: [...measures.values()],
    orderBy,
    limit: paging.limit,
    offset: paging.offset,
  };
  return { query, slots };
}

function groupKeys(dataset: Dataset, args: AggregateArgs): GroupKey[] {
  const names = [...new Set(args.groupBy ?? [])];
  const time = args.timeGroup;
  if (time && names.includes(time.column)) {
    throw new LakegateError('BAD_USER_INPUT', `"${time.column}" is both in groupBy and timeGroup; use one`);
  }
  if (time?.grain === 'hour' && scalarValue(columnByName(dataset, time.column)!.type)?.kind === 'date') {
    throw new LakegateError('BAD_USER_INPUT', `"${columnByName(dataset, time.column)!.field}" is a date: it has no HOUR grain (use DAY or coarser)`);
  }
  const keys: GroupKey[] = names.map((name, index) => ({ alias: `k${index}`, column: column(name), grain: null }));
  if (time) keys.push({ alias: `k${keys.length}`, column: column(time.column), grain: time.grain });
  return keys;
}

/**
 * The group keys (groupBy order, then the time key) follow the requested order, so groups come in
 * one total order: identical requests give identical bytes and offset pages neither skip nor repeat.
 */
function totalOrder(requested: readonly OrderTerm<AliasRef>[], groupBy: readonly GroupKey[]): OrderTerm<AliasRef>[] {
  const ordered = new Set(requested.map((term) => term.target.alias));
  const tieBreakers = groupBy
    .filter((key) => !ordered.has(key.alias))
    .map((key) => ({ target: { alias: key.alias }, direction: 'asc' as const, nulls: 'last' as const }));
  return [...requested, ...tieBreakers];
}

function orderTerm(
  dataset: Dataset,
  item: OrderInput,
  groupBy: readonly GroupKey[],
  addMeasure: (fn: AggregateFn, name: string | null) => string,
): OrderTerm<AliasRef> {
  const [group, value] = singleEntry(item, 'orderBy');
  if (group === 'count') return { target: { alias: addMeasure('count', null) }, ...(value as Direction) };
  const [field, direction] = singleEntry(value as Readonly<Record<string, Direction>>, `orderBy.${group}`);
  const col = columnByField(dataset, field);
  if (!col) throw new LakegateError('BAD_USER_INPUT', `cannot order by ${group}.${field}`);
  if (group === 'key') {
    const key = groupBy.find((candidate) => candidate.column.path[0] === col.name);
    if (!key) throw new LakegateError('BAD_USER_INPUT', `cannot order by key.${field}: it is not in groupBy or timeGroup`);
    return { target: { alias: key.alias }, ...direction };
  }
  return { target: { alias: addMeasure(group as AggregateFn, col.name) }, ...direction };
}

/** Shapes a flat engine row into the nested aggregate object, keyed by GraphQL field names. */
export function shapeAggregateRow(slots: readonly AggregateSlot[], row: Row): Record<string, unknown> {
  const shaped: Record<string, unknown> = { key: {} };
  for (const slot of slots) {
    const value = row[slot.alias] ?? null;
    if (slot.field === null) {
      shaped[slot.group] = value;
      continue;
    }
    const group = (shaped[slot.group] ?? {}) as Record<string, unknown>;
    group[slot.field] = value;
    shaped[slot.group] = group;
  }
  return shaped;
}
