import { setMaxListeners } from 'node:events';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { WebhookConfig } from '../../config/schema';
import type { Caller } from '../../planner/context';
import { localRefreshLock } from '../../planner/kpis/refresh';
import { redisRefreshLock } from '../../planner/kpis/refresh-lock';
import { crossings, thresholdWatches, type ThresholdWatch } from '../../planner/live/alerts';
import { LiveHub, type LiveBus } from '../../planner/live/hub';
import { memoryBus, memoryStore } from '../../planner/live/memory';
import { redisBus, redisStore } from '../../planner/live/redis';
import type { KpiPoint } from '../../planner/kpis/points';
import type { PolicyStore } from '../../policy/store';
import { plannerContext, type PlannerServices } from '../planner-context';
import { createLiveSession, kpiSource, type LiveSession } from './sessions';
import { createWebhookSender } from './webhooks';

/** Who the audit log names for a live evaluation (on behalf of the principals it lists). */
const LIVE_SUBJECT = 'lakegate:live';

export interface RunningLive {
  /** The live subscriptions of one connection's caller. */
  sessionFor(caller: Caller): LiveSession;
  /** Permissions changed: webhook watches follow their principals' new views. */
  recheck(): void;
  /** Keys being evaluated on this replica (for the bench and tests). */
  readonly hub: LiveHub;
  close(): Promise<void>;
}

export interface LiveOptions {
  readonly services: PlannerServices;
  readonly policy: PolicyStore;
  readonly webhooks: readonly WebhookConfig[];
  /** The Redis replicas share (pub/sub, last values, the evaluation lock); null: this replica alone. */
  readonly shared: { readonly redis: Redis; readonly keyPrefix: string } | null;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
}

/**
 * Live KPIs for this replica: the hub that evaluates each watched key once per interval (one
 * replica per key with Redis, publishing to all), sessions for WebSocket connections, and the
 * webhooks' own watches, whose crossings only the evaluating replica delivers.
 */
export function startLive(options: LiveOptions): RunningLive {
  const logger = options.logger.child({ component: 'live' });
  const stopping = new AbortController();
  // Every live evaluation of this replica listens to this one signal: a dashboard alone runs a dozen at once.
  setMaxListeners(0, stopping.signal);
  const contextFor = (caller: Caller) => plannerContext(options.services, {
    caller: { subject: LIVE_SUBJECT, principals: caller.principals },
    entitlement: options.policy.entitlementFor(caller.principals),
    signal: stopping.signal,
    longQueries: null,
    kpiRefresher: null,
  });
  const shared = options.shared;
  const bus: LiveBus = shared ? redisBus(shared.redis, shared.keyPrefix) : memoryBus();
  const sender = createWebhookSender(options.env, logger);
  /** Hub keys the webhooks watch, and what to deliver when one changes. */
  const deliveries = new Map<string, { webhook: WebhookConfig; watch: ThresholdWatch }[]>();
  const hub = new LiveHub({
    bus,
    store: shared ? redisStore(shared.redis, shared.keyPrefix) : memoryStore(),
    lock: shared ? redisRefreshLock(shared.redis, shared.keyPrefix) : localRefreshLock,
    logger,
    onChange: (key, publication) => {
      for (const { webhook, watch } of deliveries.get(key) ?? []) {
        for (const alert of crossings(watch, publication.previous as KpiPoint[] | null, publication.value as KpiPoint[])) sender.send(webhook, alert);
      }
    },
  });
  let stopWebhookWatches = watchForWebhooks(options, hub, deliveries, contextFor);
  return {
    hub,
    sessionFor: (caller) => createLiveSession(caller, { hub, logger, contextFor, entitlementFor: (who) => options.policy.entitlementFor(who.principals) }),
    recheck: () => {
      stopWebhookWatches();
      stopWebhookWatches = watchForWebhooks(options, hub, deliveries, contextFor);
    },
    close: async () => {
      stopWebhookWatches();
      stopping.abort();
      hub.close();
      bus.close();
      await sender.settle();
    },
  };
}

/** Every webhook's KPIs (those with thresholds its principals may read) kept evaluated; returns the function that stops them. */
function watchForWebhooks(
  options: LiveOptions,
  hub: LiveHub,
  deliveries: Map<string, { webhook: WebhookConfig; watch: ThresholdWatch }[]>,
  contextFor: (caller: Caller) => ReturnType<typeof plannerContext>,
): () => void {
  deliveries.clear();
  const stops = options.webhooks.flatMap((webhook) => {
    const caller: Caller = { subject: LIVE_SUBJECT, principals: webhook.principals };
    const entitlement = options.policy.entitlementFor(webhook.principals);
    return entitlement.catalog.kpis
      .filter((kpi) => !webhook.kpis || webhook.kpis.includes(kpi.name))
      .flatMap(thresholdWatches)
      .map((watch) => {
        const source = kpiSource(['alerts', watch.kpi.name, watch.args], watch.kpi, watch.args, entitlement, caller, { contextFor });
        deliveries.set(source.key, [...(deliveries.get(source.key) ?? []), { webhook, watch }]);
        return hub.watch(source, () => undefined);
      });
  });
  return () => stops.forEach((stop) => stop());
}
