import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Probes and scrapes are not worth a line each. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One JSON line per HTTP request once its response is sent (`request completed`, as pino-http
 * writes it) from the one logger the server has — no child logger per request. Only what an
 * operator needs: the path without its query string (a GET's carries the GraphQL document and its
 * variables, i.e. values), never a header (headers carry bearer tokens). Gives each request its
 * id (`req.id`), which the GraphQL request line repeats.
 */
export function requestLog(logger: Logger): RequestHandler {
  let sequence = 0;
  return (req, res, next) => {
    const started = performance.now();
    const id = (sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER);
    (req as { id?: number }).id = id;
    if (!QUIET.has(req.path)) {
      res.once('finish', () => {
        logger.info({
          req: { id, method: req.method, url: req.originalUrl.split('?')[0], remoteAddress: req.socket.remoteAddress, userAgent: req.headers['user-agent'] },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        }, 'request completed');
      });
    }
    next();
  };
}
