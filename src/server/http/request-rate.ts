import type { Logger } from 'pino';
import type { RequestRate } from '../../limits/request-rate';
import { refusal, type Refusal } from './refusal';

/**
 * Counts an authenticated request against its caller's window before any GraphQL work; past the
 * limit: HTTP 429 RATE_LIMITED with `Retry-After` (seconds) and the same in
 * `extensions.retryAfterSeconds`. A counter that fails (never expected: memory backs Redis) lets
 * the request through: a limit must not take the service down.
 */
export async function admitRequest(rate: RequestRate, subject: string, logger: Logger): Promise<Refusal | null> {
  const { requests, windowMs } = rate.settings;
  try {
    const admission = await rate.admit(subject);
    if (admission.admitted) return null;
    const retryAfterSeconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
    const message = `Rate limited: more than ${requests} requests in ${windowMs / 1000} s from this caller `
      + `(limits.requestsPerWindow per limits.window); retry in ${retryAfterSeconds} s`;
    return refusal(429, 'RATE_LIMITED', message, { limit: 'requestsPerWindow', max: requests, retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'request rate could not be counted; the request goes on');
    return null;
  }
}
