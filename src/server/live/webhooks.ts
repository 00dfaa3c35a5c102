import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { WebhookConfig } from '../../config/schema';
import type { KpiAlert } from '../../planner/live/alerts';

const FIRST_BACKOFF_MS = 500;
const ATTEMPT_TIMEOUT_MS = 5_000;
/** Deliveries pending at once; past this a new one is dropped (and logged): evaluation never waits on receivers. */
const MAX_PENDING = 100;

export interface WebhookSender {
  /** Queues one POST per alert; returns at once. */
  send(webhook: WebhookConfig, alert: KpiAlert): void;
  /** Waits for the deliveries in progress (shutdown, tests). */
  settle(): Promise<void>;
}

/**
 * Threshold crossings to HTTP receivers: a JSON POST per crossing, signed with HMAC-SHA256 over
 * the body (`X-Lakegate-Signature: sha256=<hex>`, the key from the webhook's `secretEnv`), with a
 * delivery id that stays the same across retries; a failed delivery (network error, timeout, or
 * any status but 2xx) is retried with exponential backoff, never blocking the evaluation.
 */
export function createWebhookSender(env: NodeJS.ProcessEnv, logger: Logger): WebhookSender {
  const pending = new Set<Promise<void>>();
  const deliver = async (webhook: WebhookConfig, alert: KpiAlert): Promise<void> => {
    const secret = env[webhook.secretEnv];
    if (!secret) {
      logger.warn({ url: webhook.url, secretEnv: webhook.secretEnv }, 'alert webhook skipped: its secret variable is not set');
      return;
    }
    const body = JSON.stringify({ ...alert, sentAt: new Date().toISOString() });
    const headers = {
      'content-type': 'application/json',
      'x-lakegate-delivery': randomUUID(),
      'x-lakegate-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    };
    for (let attempt = 0; attempt <= webhook.retries; attempt += 1) {
      if (attempt > 0) await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      const outcome = await fetch(webhook.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) })
        .then((response) => (response.ok ? null : `HTTP ${response.status}`), (error: Error) => error.message);
      if (outcome === null) return;
      logger.warn({ url: webhook.url, kpi: alert.kpi, attempt: attempt + 1, outcome }, 'alert webhook delivery failed');
    }
  };
  return {
    send: (webhook, alert) => {
      if (pending.size >= MAX_PENDING) {
        logger.warn({ url: webhook.url, kpi: alert.kpi }, 'alert webhook dropped: too many deliveries pending');
        return;
      }
      const delivery = deliver(webhook, alert).finally(() => pending.delete(delivery));
      pending.add(delivery);
    },
    settle: async () => {
      await Promise.all([...pending]);
    },
  };
}
