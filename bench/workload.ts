import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import type { AuthConfig } from '../src/config/schema';

/**
 * The mixed workload of `npm run load`: the shapes of requests frontends and BI tools send — lists,
 * relations, aggregates, nested-struct filters, KPIs — and one over-limit document that must be
 * refused (400), each connection signed in as a caller of its own.
 */
export const MIXED: readonly { readonly name: string; readonly query: string }[] = [
  // First: each connection sends it before any slow read, so even a short run sees it refused.
  { name: 'over limit', query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: transactions(limit: 1) { transactionId }`).join(' ')} }` },
  { name: 'list', query: '{ transactions(where: { status: { eq: "completed" } }, orderBy: [{ amount: DESC }], limit: 20) { transactionId amount currency ts } }' },
  { name: 'relation', query: '{ customers(where: { country: { eq: "JP" } }, limit: 10, orderBy: [{ customerId: ASC }]) { name transactions(limit: 3, orderBy: [{ ts: DESC }]) { amount ts } } }' },
  { name: 'aggregate', query: '{ transactionsAggregate(where: { dt: { gte: "2024-03-01" } }, groupBy: [CHANNEL], timeGroup: { column: TS, grain: WEEK }) { key { channel ts } count sum { amount } } }' },
  { name: 'struct filter', query: '{ events(where: { device: { os: { eq: "ios" } }, eventType: { eq: "purchase" } }, limit: 20) { eventId page device { os browser } items { sku qty } } }' },
  { name: 'kpi', query: '{ kpis { orders(grain: DAY, groupBy: [CHANNEL]) { time channel value } } }' },
];

/** Tokens for `count` distinct callers of one dev role (as an identity provider would issue them). */
export function callerTokens(auth: AuthConfig, secret: string, role: string, count: number): string[] {
  const claims = auth.devRoles[role];
  if (!claims) throw new Error(`no dev role "${role}"`);
  return Array.from({ length: count }, (_, index) => jwt.sign(
    { ...claims, sub: `load-${role}-${index}`, ...(auth.issuer ? { iss: auth.issuer } : {}), ...(auth.audience ? { aud: auth.audience } : {}) },
    secret,
    { algorithm: 'HS256', expiresIn: '2h' },
  ));
}

export interface LoadRun {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses by HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly serverErrors: number;
  /** Connection errors and timeouts: a refused or dropped socket is never an acceptable answer. */
  readonly socketErrors: number;
}

/** Runs the workload against `url` for `seconds` at `connections`, each connection a caller of its own. */
export async function runWorkload(url: string, tokens: readonly string[], options: { connections: number; seconds: number; onTick?: () => void }): Promise<LoadRun> {
  let next = 0;
  const instance = autocannon({
    url: `${url}/graphql`,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    requests: MIXED.map(({ query }) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      setupRequest: (request: autocannon.Request, context: object) => {
        const connection = context as { token?: string };
        connection.token ??= tokens[next++ % tokens.length]!;
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${connection.token}` } };
      },
    })),
  });
  const ticker = options.onTick ? setInterval(options.onTick, 1_000) : null;
  const result = await instance;
  if (ticker) clearInterval(ticker);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count]));
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statuses,
    serverErrors: Object.entries(statuses).filter(([code]) => Number(code) >= 500).reduce((sum, [, count]) => sum + count, 0),
    socketErrors: result.errors + result.timeouts,
  };
}
