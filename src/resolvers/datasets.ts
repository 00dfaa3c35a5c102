import type { FieldNode, GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import type { Dataset, Relation } from '../catalog/types';
import type { Row } from '../datasources/types';
import { planAggregate, shapeAggregateRow, type AggregateArgs } from '../planner/aggregate';
import type { PlannerContext } from '../planner/context';
import { readPage, type Page, type PageArgs } from '../planner/pages';
import { loadRelation } from '../planner/relations';
import { FrozenMemo } from '../planner/frozen-memo';
import { planRows, type RowArgs } from '../planner/rows';
import type { RowQuery } from '../query/types';
import { runQuery } from '../planner/run';
import { collectFields } from '../planner/selection';

/** Thin resolvers: selection and arguments in, logical query to the planner, rows out. */

export function rowsResolver(dataset: Dataset): GraphQLFieldResolver<unknown, PlannerContext, RowArgs> {
  // A prepared operation's frozen arguments (no variables, no directives) always plan alike.
  const plans = new FrozenMemo<RowArgs, readonly FieldNode[], RowQuery>();
  return (_source, args, context, info) => {
    const query = plans.get(args, info.fieldNodes, () => planRows(dataset, args, collectFields(info.fieldNodes, info), context.limits));
    return runQuery(query, { dataset, path: responsePath(info) }, context);
  };
}

/** A page reads the fields selected under `rows`; `pageInfo` is answered from the page itself. */
export function pageResolver(dataset: Dataset): GraphQLFieldResolver<unknown, PlannerContext, PageArgs> {
  return (_source, args, context, info): Promise<Page> => {
    const rows = collectFields(info.fieldNodes, info).get('rows') ?? [];
    return readPage(dataset, args, collectFields(rows, info), responsePath(info), context);
  };
}

export function aggregateResolver(dataset: Dataset): GraphQLFieldResolver<unknown, PlannerContext, AggregateArgs> {
  return async (_source, args, context, info) => {
    const plan = planAggregate(dataset, args, info.fieldNodes, info, context.limits);
    const rows = await runQuery(plan.query, { dataset, path: responsePath(info) }, context);
    return rows.map((row) => shapeAggregateRow(plan.slots, row));
  };
}

export function relationResolver(relation: Relation, target: Dataset): GraphQLFieldResolver<Row, PlannerContext, RowArgs> {
  return (parent, args, context, info) =>
    loadRelation(parent, { relation, target, args, selected: collectFields(info.fieldNodes, info), path: responsePath(info) }, context);
}

/** A column field reads its value by catalog column name (rows are keyed by column name). */
export function columnResolver(name: string): GraphQLFieldResolver<Readonly<Record<string, unknown>>, unknown> {
  return (source) => source[name] ?? null;
}

export function responsePath(info: GraphQLResolveInfo): string {
  const keys: string[] = [];
  for (let path: GraphQLResolveInfo['path'] | undefined = info.path; path; path = path.prev) {
    if (typeof path.key === 'string') keys.unshift(path.key);
  }
  return keys.join('.');
}
