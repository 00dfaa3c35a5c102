import DataLoader from 'dataloader';
import type { FieldNode } from 'graphql';
import { columnByName } from '../catalog/columns';
import type { Dataset, Relation } from '../catalog/types';
import type { Row, RowValue } from '../datasources/types';
import { column, inList } from '../query/expr';
import { LakegateError } from '../query/errors';
import type { PlannerContext } from './context';
import { toLiteral } from './literals';
import { resolvePaging } from './paging';
import { planRows, type RowArgs } from './rows';
import { runQuery } from './run';

export interface RelationRequest {
  readonly relation: Relation;
  readonly target: Dataset;
  readonly args: RowArgs;
  readonly selected: ReadonlyMap<string, readonly FieldNode[]>;
  /** The response path without list indices, e.g. `customers.transactions`. */
  readonly path: string;
}

/**
 * Loads a relation for one parent row. All parents of one relation level (same relation,
 * arguments and selection) share a DataLoader, so the level costs one engine query in total.
 */
export async function loadRelation(parent: Row, request: RelationRequest, context: PlannerContext): Promise<Row | null | readonly Row[]> {
  const key = parent[request.relation.from];
  const many = request.relation.kind === 'many';
  if (key === null || key === undefined) return many ? [] : null;
  const rows = await loaderFor(request, context).load(joinKey(key));
  return many ? rows : (rows[0] ?? null);
}

function loaderFor(request: RelationRequest, context: PlannerContext): DataLoader<string, readonly Row[]> {
  const id = JSON.stringify([request.path, request.relation.target, request.args, [...request.selected.keys()].sort()]);
  let loader = context.loaders.get(id);
  if (!loader) {
    loader = new DataLoader((keys) => fetchLevel(request, keys, context));
    context.loaders.set(id, loader);
  }
  return loader;
}

async function fetchLevel(request: RelationRequest, keys: readonly string[], context: PlannerContext): Promise<(readonly Row[])[]> {
  const { relation, target } = request;
  const keyColumn = columnByName(target, relation.to)!;
  if (keyColumn.type.kind !== 'scalar') throw new LakegateError('QUERY_FAILED', `relation ${relation.field}: key column is not a scalar`);
  const keyType = keyColumn.type.value;
  const perKeyLimit = relation.kind === 'many'
    ? { partitionBy: column(relation.to), limit: resolvePaging(request.args.limit, 0, context.limits).limit }
    : undefined;
  const query = planRows(target, request.args, request.selected, context.limits, {
    keyFilter: inList(column(relation.to), keys.map((key) => toLiteral(key, keyType))),
    keyColumn: relation.to,
    ...(perKeyLimit ? { perKeyLimit } : {}),
  });
  const rows = await runQuery(query, { dataset: target, path: request.path }, context);
  const byKey = new Map<string, Row[]>();
  for (const row of rows) {
    const value = row[relation.to];
    if (value === null || value === undefined) continue;
    const list = byKey.get(joinKey(value)) ?? [];
    list.push(row);
    byKey.set(joinKey(value), list);
  }
  return keys.map((key) => byKey.get(key) ?? []);
}

/** Join values arrive as JSON (bigints as strings); compare them as text. */
function joinKey(value: RowValue): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
