import type { Dataset } from '../catalog/types';
import { EngineError } from '../datasources/errors';
import { isResumable, type CachePolicy, type Engine, type QueryResult, type QueryStats, type Row } from '../datasources/types';
import { LakegateError } from '../query/errors';
import type { LogicalQuery, TableView } from '../query/types';
import { routeQuery, type RoutedDataset } from '../router/route';
import { applyPolicy } from '../policy/rewrite';
import { columnsRead } from '../query/columns';
import { compileQuery } from '../sql/compiler';
import type { CompiledQuery, Dialect } from '../sql/types';
import { FrozenMemo } from './frozen-memo';
import type { PlannerContext } from './context';
import { apiCode } from './engine-errors';
import { runGuarded } from './guards';
import { runLongQuery } from './long-queries/run';
import { checkPartitionFilter } from './partition-filter';
import { engineQuerySpan, plannedQuerySpan } from './spans';
import type { StillRunning } from './long-queries/types';

/** What a logical query reads and how it travels: its dataset, where its rows go in the response, how it is routed and cached. */
export interface QueryTarget {
  readonly dataset: Dataset;
  /** The response path, for `extensions.lakegate.queries[].path`. */
  readonly path: string;
  /** Routing facts when they are not the dataset's own (an SLA-bound KPI); default the dataset. */
  readonly route?: RoutedDataset;
  /** How long the answer may be cached; default the dataset's opt-in TTL (else not cached). */
  readonly cache?: CachePolicy;
  /** The KPI this query computes, for its trace span. */
  readonly kpi?: string;
}

/**
 * Drives one logical query down the rest of the road: policy → router → sql → datasource,
 * records what ran for the response extensions, and writes the audit line. Traced as a planned
 * query with its engine queries (one per engine tried) under it.
 */
export function runQuery(planned: LogicalQuery, target: QueryTarget, context: PlannerContext): Promise<readonly Row[]> {
  const cache = target.cache ?? datasetCache(target.dataset);
  return plannedQuerySpan(target, () => routeAndRun(planned, target, context, true, (engine, reason, query) => runOn(engine, reason, { query, planned, cache }, target, context)));
}

/** How a page is read on the engine the router chose: the query with the caller's view under it, the engine's dialect, the deadline. */
export type PageCall<R extends QueryResult> = (engine: Engine, query: LogicalQuery, dialect: Dialect, deadline: number) => Promise<R>;

/**
 * Drives one page of a paged read down the same road as `runQuery` — partition guard, policy,
 * router, the caller's limits, audit and extensions — but runs it with `call` (a page of an
 * engine result, or a keyset seek) and never through the result cache. A later page must stay on
 * the engine its cursor names, so only a first page (`fallback`) may fall back to another engine.
 */
export function runPage<R extends QueryResult>(planned: LogicalQuery, target: QueryTarget, context: PlannerContext, fallback: boolean, call: PageCall<R>): Promise<R> {
  return plannedQuerySpan(target, () => routeAndRun(planned, target, context, fallback, async (engine, reason, query) => {
    const dialect = dialectOf(engine, context);
    const deadline = Date.now() + context.limits.queryTimeoutMs;
    const outcome = await engineQuerySpan(engine.name, reason, () => runGuarded<R>(engine, target.path, undefined, context, () => call(engine, query, dialect, deadline)));
    record(engine, reason, outcome.stats, planned, target, context);
    return outcome;
  }));
}

/** Plans of prepared operations under a caller's view, and their SQL per dialect (see FrozenMemo). */
const viewed = new FrozenMemo<LogicalQuery, TableView, LogicalQuery>();
const compiledFor = new FrozenMemo<LogicalQuery, Dialect, CompiledQuery>();
const columnsOf = new FrozenMemo<LogicalQuery, Dataset, readonly string[]>();

function underView(planned: LogicalQuery, view: TableView | undefined): LogicalQuery {
  return view ? viewed.get(planned, view, () => applyPolicy(planned, view)) : applyPolicy(planned, view);
}

async function routeAndRun<R>(planned: LogicalQuery, target: QueryTarget, context: PlannerContext, fallback: boolean, runOnEngine: (engine: Engine, reason: string, query: LogicalQuery) => Promise<R>): Promise<R> {
  const { dataset } = target;
  const routed = target.route ?? dataset;
  checkPartitionFilter(planned, dataset, target.path);
  const query = underView(planned, context.views.get(dataset.name));
  const tried = new Set<string>();
  for (;;) {
    const { engine, reason } = chooseEngine(routed, dataset, context, tried);
    try {
      return await runOnEngine(engine, reason, query);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      // An engine that is down is skipped for a while, and this read tries the declared fallback.
      if (error.code === 'ENGINE_UNAVAILABLE' && fallback) {
        context.availability.markDown(engine.name);
        tried.add(engine.name);
        continue;
      }
      throw engineFailure(error, dataset, context);
    }
  }
}

/** The engine the router picks among those not `tried` yet; engines cooling down are skipped while another can serve, else tried anyway. */
export function chooseEngine(routed: RoutedDataset, dataset: Dataset, context: PlannerContext, tried: ReadonlySet<string> = new Set()): { engine: Engine; reason: string } {
  const untried = [...context.engines.keys()].filter((name) => !tried.has(name));
  const route = routeQuery(routed, context.routing, context.availability.available(untried)) ?? routeQuery(routed, context.routing, new Set(untried));
  const engine = route ? context.engines.get(route.engine) : undefined;
  if (!route || !engine) throw new LakegateError('ENGINE_UNAVAILABLE', `no engine is available for dataset "${dataset.name}"`);
  return { engine, reason: route.reason };
}

/** How an engine's failure reaches the client: the API's code, the engine and its query id, and when to retry. */
export function engineFailure(error: EngineError, dataset: Dataset, context: PlannerContext): LakegateError {
  return new LakegateError(apiCode(error.code), `${dataset.name}: ${error.message}`, {
    engine: error.engine,
    queryId: error.queryId,
    ...(error.retryAfterMs === null ? {} : { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) }),
    ...(error.code === 'ENGINE_BUSY' ? { limit: 'maxQueueMs', max: context.limits.maxQueueMs } : {}),
  });
}

/** What the audit line of a read says of who read what through which engine. */
export function auditFields(planned: LogicalQuery, dataset: Dataset, engine: string, context: PlannerContext): Record<string, unknown> {
  return {
    subject: context.caller.subject,
    principals: context.caller.principals,
    dataset: dataset.name,
    table: `${dataset.table.database}.${dataset.table.table}`,
    columns: columnsOf.get(planned, dataset, () => columnsRead(planned)),
    filters: context.grantSources.get(dataset.name) ?? [],
    engine,
  };
}

/** A dataset that opts in to the result cache keeps its answers for its TTL; others are not cached. */
function datasetCache(dataset: Dataset): CachePolicy | undefined {
  return dataset.cacheTtlMs === null ? undefined : { ttlMs: dataset.cacheTtlMs };
}

/** The query with the caller's view under it, the query as planned (for the audit), and how long its answer may be cached. */
interface Planned {
  readonly query: LogicalQuery;
  readonly planned: LogicalQuery;
  readonly cache: CachePolicy | undefined;
}

async function runOn(engine: Engine, reason: string, { query, planned, cache }: Planned, target: QueryTarget, context: PlannerContext): Promise<readonly Row[]> {
  const dialect = dialectOf(engine, context);
  const compiled = compiledFor.get(query, dialect, () => compileQuery(query, dialect));
  const deadline = Date.now() + context.limits.queryTimeoutMs;
  const outcome = await engineQuerySpan(engine.name, reason, () => runGuarded(engine, target.path, cache, context, (policy) => (context.longQueries && isResumable(engine)
    ? runLongQuery(engine, compiled, { entitlement: context.entitlement, signal: context.signal, deadline, cache: policy }, context.longQueries)
    : engine.execute(compiled, { signal: context.signal, deadline, ...(policy ? { cache: policy } : {}) }))));
  if ('running' in outcome) {
    context.audit.info({ ...auditFields(planned, target.dataset, engine.name, context), queryId: outcome.record.queryId, running: true }, 'engine query still running');
    throw stillRunning(outcome, target.dataset);
  }
  record(engine, reason, outcome.stats, planned, target, context);
  return outcome.rows;
}

function dialectOf(engine: Engine, context: PlannerContext): Dialect {
  const dialect = context.dialects.get(engine.name);
  if (!dialect) throw new Error(`no dialect for engine "${engine.name}"`);
  return dialect;
}

/** One engine query (or page read) for `extensions.lakegate.queries` and the audit log. */
function record(engine: Engine, reason: string, stats: QueryStats, planned: LogicalQuery, { dataset, path }: QueryTarget, context: PlannerContext): void {
  const { queryId, durationMs, bytesScanned, rows, cache: cached, ageMs } = stats;
  context.queries.push({
    path, engine: engine.name, queryId, reason, durationMs: round(durationMs), bytesScanned, rows,
    cache: cached ?? 'none', ...(ageMs === undefined ? {} : { ageMs: Math.round(ageMs) }),
  });
  // A cached answer is still a read: audited with the engine query that produced it.
  const audit = auditFields(planned, dataset, engine.name, context);
  audit['queryId'] = queryId;
  audit['rows'] = rows;
  if (cached) audit['cache'] = cached;
  context.audit.info(audit, 'engine query');
}

/** QUERY_RUNNING: the handle picks the same engine query up, by a repeat of the request or `queryStatus`. */
function stillRunning({ record, handle, waitedMs }: StillRunning, dataset: Dataset): LakegateError {
  const message = `${dataset.name}: the ${record.engine} query is still running after ${(waitedMs / 1000).toFixed(1)} s; repeat the request, or call queryStatus with extensions.handle, to pick it up`;
  return new LakegateError('QUERY_RUNNING', message, { handle, engine: record.engine, queryId: record.queryId, startedAt: new Date(record.startedAt).toISOString() });
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
