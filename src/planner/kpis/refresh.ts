import type { Kpi } from '../../catalog/types';
import { fingerprint } from '../../query/fingerprint';
import type { Caller, PlannerContext } from '../context';
import type { KpiArgs } from './plan';

/** Who may refresh a key this interval: one replica of all that share the lock (Redis), or this one alone (memory). */
export interface RefreshLock {
  /** True when this replica won `key` for `ttlMs`; false when another holds it (or the lock cannot be reached). */
  acquire(key: string, ttlMs: number): Promise<boolean>;
}

/** A request the refresher keeps warm: its KPI and arguments, and whose view it is computed on. */
interface WarmSeries {
  readonly kpi: Kpi;
  readonly args: KpiArgs;
  readonly caller: Caller;
  lastRequestedAt: number;
  nextRunAt: number;
  running: boolean;
}

export interface KpiRefresherOptions {
  /** The planner context a background run uses for these principals: their current view (null: they may no longer read anything). */
  readonly contextFor: (caller: Caller) => PlannerContext | null;
  /** Runs one KPI series with its cache entry recomputed (not read). */
  readonly run: (kpi: Kpi, args: KpiArgs, context: PlannerContext) => Promise<unknown>;
  readonly lock: RefreshLock;
  readonly logger: { warn(fields: Record<string, unknown>, message: string): void };
  /** How often due series are looked for. */
  readonly tickMs?: number;
  readonly now?: () => number;
}

/**
 * Keeps the KPIs that have a `refresh` interval warm: every distinct (KPI, arguments, view) asked
 * for within the KPI's `keepWarm` is recomputed once per interval in the background, so SLA reads
 * find a fresh cache. The view is resolved anew for each run from the caller's principals, so a
 * permission change takes effect at the next run (a KPI no longer readable is dropped). With
 * several replicas the lock lets one of them refresh a key per interval.
 */
export class KpiRefresher {
  private readonly series = new Map<string, WarmSeries>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly options: KpiRefresherOptions) {
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => void this.tick(), options.tickMs ?? 1_000);
    this.timer.unref();
  }

  /** Called for every KPI request with a refresh interval: starts or extends keeping it warm. */
  record(kpi: Kpi, args: KpiArgs, caller: Caller): void {
    if (kpi.refreshMs === null) return;
    const key = seriesKey(kpi, args, caller);
    const known = this.series.get(key);
    const now = this.now();
    if (known) {
      known.lastRequestedAt = now;
      return;
    }
    this.series.set(key, { kpi, args, caller, lastRequestedAt: now, nextRunAt: now + kpi.refreshMs, running: false });
  }

  /** How many series are being kept warm. */
  get size(): number {
    return this.series.size;
  }

  async tick(): Promise<void> {
    const now = this.now();
    const due: [string, WarmSeries][] = [];
    for (const [key, entry] of this.series) {
      if (now - entry.lastRequestedAt > entry.kpi.keepWarmMs) this.series.delete(key);
      else if (!entry.running && now >= entry.nextRunAt) due.push([key, entry]);
    }
    await Promise.all(due.map(([key, entry]) => this.refresh(key, entry, now)));
  }

  private async refresh(key: string, entry: WarmSeries, now: number): Promise<void> {
    const interval = entry.kpi.refreshMs!;
    entry.nextRunAt = now + interval;
    // One lock per key and interval: the replica that takes it refreshes, the others skip this round.
    if (!(await this.options.lock.acquire(`${key}:${Math.floor(now / interval)}`, interval))) return;
    const context = this.options.contextFor(entry.caller);
    if (!context || !context.catalog.kpis.some((kpi) => kpi.name === entry.kpi.name)) {
      this.series.delete(key);
      return;
    }
    entry.running = true;
    try {
      await this.options.run(entry.kpi, entry.args, context);
    } catch (error) {
      this.options.logger.warn({ kpi: entry.kpi.name, err: (error as Error).message }, 'scheduled KPI refresh failed; the next interval tries again');
    } finally {
      entry.running = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.series.clear();
  }
}

/** The KPI, its arguments and the caller's principals: callers with the same principals share a view. */
function seriesKey(kpi: Kpi, args: KpiArgs, caller: Caller): string {
  return fingerprint([kpi.name, args, [...caller.principals].sort()]);
}

/** A lock for one replica: every key is this replica's (it has no one to share a refresh with). */
export const localRefreshLock: RefreshLock = { acquire: async () => true };
