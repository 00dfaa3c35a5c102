import type { Kpi } from '../../catalog/types';
import type { KpiArgs } from '../kpis/plan';
import type { KpiPoint } from '../kpis/points';
import type { KpiAlert } from './alerts';

/** What a WebSocket connection's subscriptions read from: the live series and alerts of its caller. */
export interface LiveSubscriptions {
  /** The KPI's series now, then again whenever it changes (checked once per freshness); an `Error` ends it. */
  series(kpi: Kpi, args: KpiArgs): AsyncIterableIterator<readonly KpiPoint[] | Error>;
  /** Threshold crossings of every KPI the caller may read; an `Error` ends it. */
  alerts(): AsyncIterableIterator<KpiAlert | Error>;
}
