import type { FieldNode } from 'graphql';
import { columnByName } from '../catalog/columns';
import type { Dataset } from '../catalog/types';
import { EngineError } from '../datasources/errors';
import { isPaged, type PagedEngine, type PageOptions } from '../datasources/pages';
import type { Engine, QueryResult, Row } from '../datasources/types';
import { and, column } from '../query/expr';
import { LakegateError } from '../query/errors';
import { fingerprint } from '../query/fingerprint';
import type { RowQuery } from '../query/types';
import { compileQuery } from '../sql/compiler';
import type { CompiledQuery, Dialect } from '../sql/types';
import type { PlannerContext } from './context';
import { decodeCursor, encodeCursor, INVALID_CURSOR, type CursorBinding, type CursorState } from './cursor';
import { resolveFirst } from './paging';
import { planRows, type RowArgs } from './rows';
import { runPage } from './run';
import { seekAfter, type SeekTerm } from './seek';

export interface PageArgs extends Pick<RowArgs, 'where' | 'orderBy'> {
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface Page {
  readonly rows: readonly Row[];
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
}

/** A page as read, with the cursor of the rows after it (null: none). */
type PageResult = QueryResult & { readonly cursor: string | null };

/** A page as an engine read it, with where the rows after it start. */
type ReadPage = QueryResult & { readonly next: CursorState | null };

const RESULT_EXPIRED = "the cursor's engine result has expired; start again without `after`";

/**
 * One page of a dataset read by cursor. The query is planned as the list field plans it (same
 * filter, total order, policy view, partition guard), then read on an engine that keeps results
 * (the first page runs the query once, later pages read that result by the engine query id), or
 * else by seeking past the last row's order key. The cursor is signed and bound to the caller,
 * its entitlement and the page-1 query (its SQL and parameters), so nothing else can use it.
 */
export async function readPage(dataset: Dataset, args: PageArgs, selected: ReadonlyMap<string, readonly FieldNode[]>, path: string, context: PlannerContext): Promise<Page> {
  const first = resolveFirst(args.first, context.limits);
  const planned = withOrderColumns(planRows(dataset, { where: args.where ?? null, orderBy: args.orderBy ?? null, limit: first }, selected, context.limits));
  const outcome = await runPage<PageResult>(planned, { dataset, path }, context, !args.after, async (engine, query, dialect, deadline) => {
    const whole = compileQuery({ ...query, limit: null, offset: 0 }, dialect);
    const binding: CursorBinding = { subject: context.caller.subject, entitlement: context.entitlement, query: fingerprint([engine.name, whole.sql, whole.params]) };
    const state = args.after ? decodeCursor(args.after, binding, context.cursors) : null;
    const options: PageOptions = { first, signal: context.signal, deadline };
    const page = isPaged(engine) ? await readResultPage(engine, whole, state, options) : await seekPage(engine, query as RowQuery, dialect, state, dataset, options);
    return { rows: page.rows, stats: page.stats, cursor: page.next ? encodeCursor(page.next, binding, context.cursors) : null };
  });
  return { rows: outcome.rows, pageInfo: { endCursor: outcome.cursor, hasNextPage: outcome.cursor !== null } };
}

/** Order columns are read too: the last row's key is what the next page seeks from. */
function withOrderColumns(query: RowQuery): RowQuery {
  const selected = new Set(query.select.map((item) => item.alias));
  const missing = query.orderBy.map((term) => term.target.path[0]!).filter((name) => !selected.has(name));
  return { ...query, select: [...query.select, ...[...new Set(missing)].map((name) => ({ alias: name, column: column(name) }))] };
}

/** A page of the engine's kept result: the first runs the query, a later one reads on from the cursor's position. */
async function readResultPage(engine: PagedEngine, whole: CompiledQuery, state: CursorState | null, options: PageOptions): Promise<ReadPage> {
  if (state && state.kind !== 'result') throw new LakegateError('BAD_USER_INPUT', INVALID_CURSOR);
  const page = state ? await fetchKept(engine, state.queryId, state, options) : await engine.executePage(whole, options);
  return { rows: page.rows, stats: page.stats, next: page.next ? { kind: 'result', queryId: page.stats.queryId, position: page.next } : null };
}

/** A later page's engine result may be gone (engines keep results for a while only): a clear refusal, not a failure. */
async function fetchKept(engine: PagedEngine, queryId: string, state: Extract<CursorState, { kind: 'result' }>, options: PageOptions): ReturnType<PagedEngine['fetchPage']> {
  try {
    return await engine.fetchPage(queryId, state.position, options);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'QUERY_FAILED') throw new LakegateError('BAD_USER_INPUT', RESULT_EXPIRED, { engine: error.engine, queryId });
    throw error;
  }
}

/** A keyset page: the query past the cursor's key, one row more than asked to tell whether another page follows. */
async function seekPage(engine: Engine, query: RowQuery, dialect: Dialect, state: CursorState | null, dataset: Dataset, options: PageOptions): Promise<ReadPage> {
  if (state && state.kind !== 'seek') throw new LakegateError('BAD_USER_INPUT', INVALID_CURSOR);
  const terms = seekTerms(query, dataset);
  if (state && state.key.length !== terms.length) throw new LakegateError('BAD_USER_INPUT', INVALID_CURSOR);
  const where = state ? and([query.where, seekAfter(terms, state.key)].filter((part) => part !== null)) : query.where;
  const compiled = compileQuery({ ...query, where, limit: options.first + 1, offset: 0 }, dialect);
  const result = await engine.execute(compiled, { ...(options.signal ? { signal: options.signal } : {}), ...(options.deadline ? { deadline: options.deadline } : {}) });
  const rows = result.rows.slice(0, options.first);
  const last = rows.at(-1);
  const more = result.rows.length > options.first && last !== undefined;
  return { rows, stats: result.stats, next: more ? { kind: 'seek', key: terms.map((term) => last[term.target.path[0]!] ?? null) } : null };
}

function seekTerms(query: RowQuery, dataset: Dataset): SeekTerm[] {
  return query.orderBy.map((term) => {
    const type = columnByName(dataset, term.target.path[0]!)?.type;
    if (type?.kind !== 'scalar') throw new LakegateError('BAD_USER_INPUT', `cannot page in the order of "${term.target.path.join('.')}"`);
    return { ...term, type: type.value };
  });
}
