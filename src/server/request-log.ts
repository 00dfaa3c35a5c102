import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** Probes and scrapes are not worth a line each. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

/** Starts a request's log line and gives the request its id (see requestIdOf). */
export type RequestLog = (req: IncomingMessage, res: ServerResponse) => void;

type IdentifiedRequest = IncomingMessage & { id?: number };

/** Fields a route adds to its request's log line (an export's dataset, rows, engine, query id and caller). */
const extraFields = new WeakMap<ServerResponse, Record<string, unknown>>();

export function addLogFields(res: ServerResponse, fields: Record<string, unknown>): void {
  extraFields.set(res, { ...extraFields.get(res), ...fields });
}

/** The id of the request's log line, which the GraphQL request line repeats. */
export function requestIdOf(req: IncomingMessage): number {
  return (req as IdentifiedRequest).id ?? 0;
}

/**
 * One JSON line per HTTP request once its response is sent (`request completed`, as pino-http
 * writes it) from the one logger the server has — no child logger per request. Only what an
 * operator needs: the path without its query string (a GET's carries the GraphQL document and its
 * variables, i.e. values), never a header (headers carry bearer tokens).
 */
export function requestLog(logger: Logger): RequestLog {
  let sequence = 0;
  return (req, res) => {
    const started = performance.now();
    const id = (sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER);
    (req as IdentifiedRequest).id = id;
    const path = pathOf(req);
    if (!QUIET.has(path)) {
      // 'close' too: an export the client cut short never finishes, and is still logged once.
      let logged = false;
      const log = (): void => {
        if (logged) return;
        logged = true;
        logger.info({
          req: { id, method: req.method, url: path, remoteAddress: req.socket.remoteAddress, userAgent: req.headers['user-agent'] },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
          ...extraFields.get(res),
        }, 'request completed');
      };
      res.once('finish', log);
      res.once('close', log);
    }
  };
}

export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
