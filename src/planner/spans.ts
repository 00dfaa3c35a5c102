import type { Attributes } from '@opentelemetry/api';
import type { QueryResult } from '../datasources/types';
import { inSpan } from '../observability/tracing';
import type { StillRunning } from './long-queries/types';

/** What a planned query reads, as its span names it: the dataset, the response path, the KPI it computes. */
export interface PlannedQueryNames {
  readonly dataset: { readonly name: string };
  readonly path: string;
  readonly kpi?: string | undefined;
}

/** The span of one planned query (a dataset read, a relation level, a KPI series): the parent of its engine queries. */
export function plannedQuerySpan<T>(names: PlannedQueryNames, work: () => Promise<T>): Promise<T> {
  return inSpan('lakegate.planned_query', {
    'lakegate.dataset': names.dataset.name,
    'lakegate.path': names.path,
    ...(names.kpi ? { 'lakegate.kpi': names.kpi } : {}),
  }, work);
}

/**
 * The span of one engine query as `extensions.lakegate.queries` lists it — an answer from the
 * result cache included (`lakegate.cache`), with the id of the engine query behind its rows.
 */
export function engineQuerySpan<T extends QueryResult | StillRunning>(engine: string, reason: string, work: () => Promise<T>): Promise<T> {
  return inSpan('lakegate.engine_query', { 'lakegate.engine': engine, 'lakegate.route_reason': reason }, work, engineQueryAttributes);
}

function engineQueryAttributes(outcome: QueryResult | StillRunning): Attributes {
  if ('running' in outcome) return { 'lakegate.query_id': outcome.record.queryId, 'lakegate.running': true };
  const { queryId, rows, bytesScanned, cache } = outcome.stats;
  return {
    'lakegate.query_id': queryId,
    'lakegate.cache': cache ?? 'none',
    'lakegate.rows': rows,
    ...(bytesScanned === null ? {} : { 'lakegate.bytes_scanned': bytesScanned }),
  };
}
