import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Kpi } from '../../catalog/types';
import type { Caller, PlannerContext } from '../../planner/context';
import type { KpiArgs } from '../../planner/kpis/plan';
import type { KpiPoint } from '../../planner/kpis/points';
import { runKpi } from '../../planner/kpis/run';
import { crossings, thresholdWatches, type KpiAlert } from '../../planner/live/alerts';
import { Channel } from '../../planner/live/channel';
import type { LiveHub, LiveSource } from '../../planner/live/hub';
import type { LiveSubscriptions } from '../../planner/live/subscriptions';
import type { Entitlement } from '../../policy/entitlement';
import { fingerprint } from '../../query/fingerprint';

/** A connection's live subscriptions, which a permission change re-checks. */
export interface LiveSession extends LiveSubscriptions {
  /** Permissions changed: every open subscription follows the caller's new view, or ends if its KPI is no longer readable. */
  recheck(): void;
  close(): void;
}

export interface LiveSessionDeps {
  readonly hub: LiveHub;
  /** The caller's entitlement under the current permissions. */
  readonly entitlementFor: (caller: Caller) => Entitlement;
  /** A planner context for an evaluation on the caller's current view (not tied to any connection). */
  readonly contextFor: (caller: Caller) => PlannerContext;
  readonly logger: { warn(fields: Record<string, unknown>, message: string): void };
}

/** One subscription: re-attaches itself to the hub whenever the view it is computed on changes. */
interface Follower {
  attach(entitlement: Entitlement): void;
  end(): void;
}

export function createLiveSession(caller: Caller, deps: LiveSessionDeps): LiveSession {
  const followers = new Set<Follower>();
  /**
   * A channel fed by `watch` on the caller's current view, re-attached on every permission change;
   * `watch` returns how to detach it. The channel's end (the client's, or `close`) detaches it.
   */
  const follow = <T>(watch: (entitlement: Entitlement, channel: Channel<T>) => () => void): Channel<T> => {
    let detach = (): void => undefined;
    const channel = new Channel<T>(() => {
      detach();
      followers.delete(follower);
    });
    const follower: Follower = {
      attach: (entitlement) => {
        detach();
        detach = watch(entitlement, channel);
      },
      end: () => void channel.return(),
    };
    followers.add(follower);
    follower.attach(deps.entitlementFor(caller));
    return channel;
  };
  return {
    series: (kpi, args) => follow<readonly KpiPoint[]>((entitlement, channel) => {
      if (readable(entitlement, kpi)) return watchSeries(kpi, args, entitlement, channel, caller, deps);
      channel.fail(new GraphQLError(`subscription ${kpi.name}: the KPI is no longer readable for you`, { extensions: { code: 'FORBIDDEN' } }));
      return () => undefined;
    }),
    alerts: () => follow<KpiAlert>((entitlement, channel) => watchAlerts(entitlement, channel, caller, deps)),
    recheck: () => {
      const entitlement = deps.entitlementFor(caller);
      for (const follower of [...followers]) follower.attach(entitlement);
    },
    close: () => {
      for (const follower of [...followers]) follower.end();
    },
  };
}

function readable(entitlement: Entitlement, kpi: Kpi): boolean {
  return entitlement.catalog.kpis.some((candidate) => candidate.name === kpi.name);
}

/**
 * The series first (evaluated now, through the result cache), then every change the hub
 * publishes for the key — the KPI, its arguments and the view — that this subscriber has not seen.
 */
function watchSeries(kpi: Kpi, args: KpiArgs, entitlement: Entitlement, channel: Channel<readonly KpiPoint[]>, caller: Caller, deps: LiveSessionDeps): () => void {
  // A digest of the last series sent, not the series: a thousand subscribers need not each keep a copy.
  let lastSent: string | null = null;
  const send = (series: readonly KpiPoint[]): void => {
    const digest = createHash('sha256').update(JSON.stringify(series)).digest('base64');
    if (digest === lastSent) return;
    lastSent = digest;
    channel.push(series);
  };
  const source = kpiSource(['series', kpi.name, args], kpi, args, entitlement, caller, deps);
  const stop = deps.hub.watch(source, (publication) => send(publication.value as readonly KpiPoint[]));
  source.evaluate().then(send, (error: Error) => channel.fail(error));
  return stop;
}

/** Every readable KPI's threshold watches; a publication's crossings go to the subscriber. */
function watchAlerts(entitlement: Entitlement, channel: Channel<KpiAlert>, caller: Caller, deps: LiveSessionDeps): () => void {
  const stops = entitlement.catalog.kpis.flatMap(thresholdWatches).map((watch) => {
    const source = kpiSource(['alerts', watch.kpi.name, watch.args], watch.kpi, watch.args, entitlement, caller, deps);
    return deps.hub.watch(source, (publication) => {
      for (const alert of crossings(watch, publication.previous as KpiPoint[] | null, publication.value as KpiPoint[])) channel.push(alert);
    });
  });
  return () => stops.forEach((stop) => stop());
}

/** What the hub evaluates for a key: the KPI on the view the key names, once per the KPI's freshness. */
export function kpiSource(what: readonly unknown[], kpi: Kpi, args: KpiArgs, entitlement: Entitlement, caller: Caller, deps: Pick<LiveSessionDeps, 'contextFor'>): LiveSource<readonly KpiPoint[]> {
  return {
    key: fingerprint([...what, entitlement.fingerprint]),
    intervalMs: kpi.freshnessMs,
    evaluate: () => runKpi(kpi, args, `subscription.${kpi.name}`, deps.contextFor(caller)),
  };
}
