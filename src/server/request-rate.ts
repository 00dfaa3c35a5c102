import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '../auth/types';
import type { RequestRate } from '../limits/request-rate';
import { errorBody } from './errors';

/**
 * Counts each authenticated request against its caller's window before any GraphQL work; past
 * the limit: HTTP 429 RATE_LIMITED with `Retry-After` (seconds) and the same in
 * `extensions.retryAfterSeconds`. A counter that fails (never expected: memory backs Redis) lets
 * the request through: a limit must not take the service down.
 */
export function limitRequestRate(rate: RequestRate, logger: Logger): RequestHandler {
  const { requests, windowMs } = rate.settings;
  return (_req, res, next) => {
    const principal = res.locals['principal'] as Principal;
    rate.admit(principal.subject).then((admission) => {
      if (admission.admitted) return next();
      const retryAfterSeconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
      const message = `Rate limited: more than ${requests} requests in ${windowMs / 1000} s from this caller `
        + `(limits.requestsPerWindow per limits.window); retry in ${retryAfterSeconds} s`;
      res.status(429).set('Retry-After', String(retryAfterSeconds)).json(errorBody('RATE_LIMITED', message, { limit: 'requestsPerWindow', max: requests, retryAfterSeconds }));
    }, (error: unknown) => {
      logger.warn({ err: (error as Error).message }, 'request rate could not be counted; the request goes on');
      next();
    });
  };
}
