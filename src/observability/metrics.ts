import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { codeLabel, isRefusal, limitLabel, OperationNames } from './labels';

/**
 * The Prometheus metrics of one app instance, in a registry of its own (several apps may run in
 * one process, as in the tests). Labels are bounded: operation names (capped), error codes, limit
 * names, engine names and cache outcomes — never a value, a token or a subject.
 */
export interface LakegateMetrics {
  readonly registry: Registry;
  readonly requestDuration: Histogram<'operation' | 'outcome'>;
  readonly requestsInFlight: Gauge;
  readonly preparedRequests: Counter;
  readonly graphqlErrors: Counter<'code'>;
  readonly refusals: Counter<'code' | 'limit'>;
  readonly engineQueryDuration: Histogram<'engine' | 'outcome'>;
  readonly bytesScanned: Counter<'engine'>;
  readonly cacheOutcomes: Counter<'engine' | 'outcome'>;
  readonly operationNames: OperationNames;
  /** Where `lakegate_long_queries_running` reads its count at each scrape (the long-query store). */
  countLongQueriesWith(count: () => Promise<number>): void;
}

/** Distinct operation names labelled per app; later new names are counted as `other`. */
export const MAX_OPERATION_NAMES = 200;

const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const ENGINE_QUERY_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export function createMetrics(): LakegateMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const longQueries = longQueriesGauge(registry);
  return {
    registry,
    requestDuration: new Histogram({
      name: 'lakegate_graphql_request_duration_seconds',
      help: 'GraphQL requests from parsing to response, by operation name and outcome (ok, or the first error code).',
      labelNames: ['operation', 'outcome'],
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    requestsInFlight: new Gauge({ name: 'lakegate_requests_in_flight', help: 'Requests on /graphql being served now.', registers }),
    preparedRequests: new Counter({
      name: 'lakegate_graphql_prepared_requests_total',
      help: 'GraphQL requests answered by a prepared operation (a document parsed, validated and judged once) without Apollo\'s request pipeline.',
      registers,
    }),
    graphqlErrors: new Counter({ name: 'lakegate_graphql_errors_total', help: 'Errors answered to clients, by extensions.code.', labelNames: ['code'], registers }),
    refusals: new Counter({
      name: 'lakegate_refusals_total',
      help: 'Requests refused by a limit (LIMIT_EXCEEDED, RATE_LIMITED), by code and extensions.limit.',
      labelNames: ['code', 'limit'],
      registers,
    }),
    engineQueryDuration: new Histogram({
      name: 'lakegate_engine_query_duration_seconds',
      help: 'Engine queries (answers from the result cache are not), by engine and outcome (ok, running, or the error code).',
      labelNames: ['engine', 'outcome'],
      buckets: ENGINE_QUERY_BUCKETS,
      registers,
    }),
    bytesScanned: new Counter({ name: 'lakegate_engine_bytes_scanned_total', help: 'Bytes scanned by engine queries, where the engine reports it (Athena).', labelNames: ['engine'], registers }),
    cacheOutcomes: new Counter({
      name: 'lakegate_result_cache_requests_total',
      help: 'Cacheable engine queries of requests, by engine and how the result cache answered (hit, miss, stale, shared).',
      labelNames: ['engine', 'outcome'],
      registers,
    }),
    operationNames: new OperationNames(MAX_OPERATION_NAMES),
    countLongQueriesWith: longQueries.countWith,
  };
}

/**
 * Long queries running, read from the long-query store at each scrape: with Redis, every replica
 * reports the same, deployment-wide count. NaN when the store cannot be reached; 0 without one.
 */
function longQueriesGauge(registry: Registry): { countWith(count: () => Promise<number>): void } {
  let count: (() => Promise<number>) | null = null;
  new Gauge({
    name: 'lakegate_long_queries_running',
    help: 'Engine queries that outlived their request (longQueries) and are still running, per the long-query store.',
    registers: [registry],
    async collect() {
      this.set(count ? await count().catch(() => Number.NaN) : 0);
    },
  });
  return {
    countWith: (source) => {
      count = source;
    },
  };
}

/** Engine queries into the metrics: duration by engine and outcome, and the bytes they scanned. */
export function recordEngineQuery(metrics: LakegateMetrics): (query: { readonly engine: string; readonly outcome: string; readonly seconds: number; readonly bytesScanned: number | null }) => void {
  return ({ engine, outcome, seconds, bytesScanned }) => {
    metrics.engineQueryDuration.observe({ engine, outcome }, seconds);
    if (bytesScanned !== null) metrics.bytesScanned.inc({ engine }, bytesScanned);
  };
}

/** Counts the errors of one response by code, and those that are refusals by limit. */
export function countErrors(metrics: LakegateMetrics, errors: readonly { readonly extensions?: Readonly<Record<string, unknown>> | undefined }[]): void {
  for (const error of errors) {
    const code = codeLabel(error.extensions?.['code']);
    metrics.graphqlErrors.inc({ code });
    if (isRefusal(code)) metrics.refusals.inc({ code, limit: limitLabel(error.extensions?.['limit']) });
  }
}

/** `ok`, or the first error's code: a request's outcome as the duration histogram labels it. */
export function outcomeOf(errors: readonly { readonly extensions?: Readonly<Record<string, unknown>> | undefined }[] | undefined): string {
  const [first] = errors ?? [];
  return first ? codeLabel(first.extensions?.['code']) : 'ok';
}
