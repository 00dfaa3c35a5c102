import type DataLoader from 'dataloader';
import type { Catalog, Kpi } from '../catalog/types';
import type { CacheOutcome, Engine, Row } from '../datasources/types';
import type { TableView } from '../query/types';
import type { EngineAvailability } from '../router/availability';
import type { RoutingRules } from '../router/route';
import type { Dialect } from '../sql/types';
import type { CursorKeys } from './cursor';
import type { CallerGuards } from './guards';
import type { KpiArgs } from './kpis/plan';
import type { LiveSubscriptions } from './live/subscriptions';
import type { LongQueries } from './long-queries/run';

export interface Limits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
  readonly queryTimeoutMs: number;
  /** How long a query may wait for a slot of the caller's (and for its engine's queue) before it is refused. */
  readonly maxQueueMs: number;
}

/** One engine query as reported in `extensions.lakegate.queries`. */
export interface QueryRecord {
  readonly path: string;
  readonly engine: string;
  readonly queryId: string | null;
  readonly reason: string;
  readonly durationMs: number;
  readonly bytesScanned: number | null;
  readonly rows: number;
  /** How the result cache answered; `none` when the query was not cacheable. */
  readonly cache: CacheOutcome | 'none';
  /** Age of a cached answer, with `cache`. */
  readonly ageMs?: number;
}

export interface QueryLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

/** Who is asking, as the audit log names them. */
export interface Caller {
  readonly subject: string;
  readonly principals: readonly string[];
}

/** What the planner needs of a request. The server builds one per request. */
export interface PlannerContext {
  readonly catalog: Catalog;
  readonly caller: Caller;
  /** Fingerprint of the caller's entitlement: who may pick up which long query. */
  readonly entitlement: string;
  /** The caller's view of each dataset it may read (the policy stage's output). */
  readonly views: ReadonlyMap<string, TableView>;
  /** Names of the grants behind each view, for the audit log. */
  readonly grantSources: ReadonlyMap<string, readonly string[]>;
  readonly engines: ReadonlyMap<string, Engine>;
  /** The dialect (with table naming) each engine's SQL is compiled for, by engine name. */
  readonly dialects: ReadonlyMap<string, Dialect>;
  readonly routing: RoutingRules;
  readonly availability: EngineAvailability;
  readonly limits: Limits;
  /** The key and lifetime of page cursors (`<dataset>Page`). */
  readonly cursors: CursorKeys;
  /** Queries on resumable engines outlive the request (QUERY_RUNNING + handle); null when not configured. */
  readonly longQueries: LongQueries | null;
  readonly signal: AbortSignal;
  /** Receives one audit line per engine query. */
  readonly audit: QueryLogger;
  readonly queries: QueryRecord[];
  /** Relation loaders for this request only, keyed by relation, arguments and selection. */
  readonly loaders: Map<string, DataLoader<string, readonly Row[]>>;
  /** The caller's live KPI series and alerts; present on WebSocket connections only. */
  readonly live?: LiveSubscriptions;
  /** The caller's limits on engine queries (running at once, bytes per day); null for the server's own background work. */
  readonly guards: CallerGuards | null;
  /** Keeps KPIs with a refresh interval warm; told of every request for one. Absent in background runs. */
  readonly kpiRefresher?: { record(kpi: Kpi, args: KpiArgs, caller: Caller): void } | null;
}
