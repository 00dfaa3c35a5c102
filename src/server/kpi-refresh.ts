import type { Logger } from 'pino';
import type { Kpi } from '../catalog/types';
import type { Caller } from '../planner/context';
import { KpiRefresher, type RefreshLock } from '../planner/kpis/refresh';
import { runKpi } from '../planner/kpis/run';
import type { PolicyStore } from '../policy/store';
import { plannerContext, type PlannerServices } from './planner-context';

/** Who the audit log names for a background refresh (on behalf of the principals it lists). */
const REFRESH_SUBJECT = 'lakegate:kpi-refresh';

/**
 * Keeps requested KPI series with a `refresh` interval warm in the result cache. Each run
 * resolves the principals' view from the current permissions, so a reload is honoured at the
 * next run; its engine queries are audited like any read, under the refresh's own subject.
 */
export function startKpiRefresh(kpis: readonly Kpi[], services: PlannerServices, policy: PolicyStore, lock: RefreshLock, logger: Logger): { refresher: KpiRefresher; stop(): void } {
  const stopping = new AbortController();
  const intervals = kpis.flatMap((kpi) => (kpi.refreshMs === null ? [] : [kpi.refreshMs]));
  const refresher = new KpiRefresher({
    lock,
    // Due series are looked for often enough that a run is at most a quarter interval late.
    tickMs: Math.min(1_000, Math.max(25, Math.floor(Math.min(...intervals, 4_000) / 4))),
    logger: logger.child({ component: 'kpi-refresh' }),
    contextFor: (caller: Caller) => plannerContext(services, {
      caller: { subject: REFRESH_SUBJECT, principals: caller.principals },
      entitlement: policy.entitlementFor(caller.principals),
      signal: stopping.signal,
      longQueries: null,
      kpiRefresher: null,
      // The server's own work: no caller's limits (the engines' queues still apply).
      guards: null,
    }),
    run: (kpi, args, context) => runKpi(kpi, args, `kpis.${kpi.name}`, context, { refresh: true }),
  });
  return {
    refresher,
    stop: () => {
      stopping.abort();
      refresher.stop();
    },
  };
}
