import type { Caller, Limits, PlannerContext, QueryLogger } from '../planner/context';
import type { CursorKeys } from '../planner/cursor';
import type { CallerGuards } from '../planner/guards';
import type { LongQueries } from '../planner/long-queries/run';
import type { Entitlement } from '../policy/entitlement';
import type { EngineAvailability } from '../router/availability';
import type { RoutingRules } from '../router/route';
import type { Dialect } from '../sql/types';
import type { Engine } from '../datasources/types';

/** What every planner context of this server shares: the engines and the rules of the road. */
export interface PlannerServices {
  readonly engines: ReadonlyMap<string, Engine>;
  readonly dialects: ReadonlyMap<string, Dialect>;
  readonly routing: RoutingRules;
  readonly availability: EngineAvailability;
  readonly limits: Limits;
  readonly cursors: CursorKeys;
  readonly audit: QueryLogger;
}

/** One read's context: whose view, how it may be cancelled, and what it may use besides the engines. */
export interface ReadScope {
  readonly caller: Caller;
  readonly entitlement: Entitlement;
  readonly signal: AbortSignal;
  readonly longQueries: LongQueries | null;
  readonly kpiRefresher: PlannerContext['kpiRefresher'];
  /** The caller's limits on engine queries; null for the server's own background work. */
  readonly guards: CallerGuards | null;
}

/**
 * A fresh planner context: for a request, or for a background KPI refresh on a caller's behalf.
 * `extra` holds what the caller's context adds (a request's id, the principal, …); one object
 * literal with every field named, because this runs per request and spreads are slow to build.
 */
export function plannerContext<Extra extends object = Record<never, never>>(services: PlannerServices, scope: ReadScope, extra?: Extra): PlannerContext & Extra {
  const context: PlannerContext = {
    engines: services.engines,
    dialects: services.dialects,
    routing: services.routing,
    availability: services.availability,
    limits: services.limits,
    audit: services.audit,
    cursors: services.cursors,
    caller: scope.caller,
    entitlement: scope.entitlement.fingerprint,
    catalog: scope.entitlement.catalog,
    views: scope.entitlement.views,
    grantSources: scope.entitlement.sources,
    longQueries: scope.longQueries,
    signal: scope.signal,
    kpiRefresher: scope.kpiRefresher,
    guards: scope.guards,
    queries: [],
    loaders: new Map(),
  };
  return (extra ? Object.assign(context, extra) : context) as PlannerContext & Extra;
}
