import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { errorBody } from './errors';

/** The environment variable holding the bearer token `/metrics` asks for; unset, `/metrics` is open. */
export const METRICS_TOKEN_ENV = 'LAKEGATE_METRICS_TOKEN';

/**
 * `GET /metrics` in the Prometheus text format. Open by default — the metrics hold no values,
 * tokens or subjects, only counts by operation name, error code, limit, engine and cache
 * outcome — or behind a static bearer token (`LAKEGATE_METRICS_TOKEN`) when the network does not
 * keep scrapers apart from clients. Never the API's JWTs: a scraper is not a Lake Formation principal.
 */
export function metricsEndpoint(registry: Registry, env: NodeJS.ProcessEnv): RequestHandler {
  const token = env[METRICS_TOKEN_ENV] || null;
  return (req, res, next) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').json(errorBody('UNAUTHENTICATED', `Unauthenticated: /metrics needs the bearer token of ${METRICS_TOKEN_ENV}`));
      return;
    }
    registry.metrics().then((text) => void res.type(registry.contentType).send(text), next);
  };
}

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
