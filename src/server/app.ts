import http from 'node:http';
import path from 'node:path';
import express, { type ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { resolveLocalSignIn } from '../auth/local-sign-in';
import { resolveHs256Secret } from '../auth/secret';
import { createTokenVerifier } from '../auth/verifier';
import type { Issue } from '../catalog/types';
import type { LoadedConfig } from '../config/load';
import { queueingEngine } from '../datasources/queue/queueing-engine';
import { observedEngine } from '../datasources/observed-engine';
import type { Engine } from '../datasources/types';
import { createMetrics, recordEngineQuery } from '../observability/metrics';
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { startPolicy } from './policy';
import { EngineAvailability } from '../router/availability';
import { drain } from './drain';
import { startResultCache } from './cache';
import { startKpiRefresh } from './kpi-refresh';
import { startLive } from './live/start';
import { startSubscriptions } from './ws';
import { resolveCursorKeys } from './cursor-key';
import { plannerContext, type PlannerServices } from './planner-context';
import { startLongQueries } from './long-queries';
import { createEngines, type EngineClients } from './engines';
import { errorBody } from './errors';
import { startGuards } from './guards';
import { persistedQuerySetup } from './persisted-queries';
import { metricsEndpoint } from './metrics-endpoint';
import { createDashboardRouter } from './dashboard/router';
import { createDevSignInRouter, DEV_TOKEN_PATH } from './dev-sign-in';
import { createPlaygroundRouter } from './playground';
import { requestMetricsPlugin } from './request-metrics';
import { requestSpanPlugin } from './request-span';
import { pathOf, requestLog } from './request-log';
import { graphqlRoute } from './http/graphql-route';
import { exportRoute } from './export/route';
import { sendRefusal, refusal } from './http/refusal';
import { SchemaServers } from './schema-servers';

export interface LakegateOptions {
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** Wraps the engine (metrics, or a test's instrumentation) without forking it; the result cache wraps the outcome. */
  readonly decorateEngine?: (engine: Engine) => Engine;
  /** SDK clients for the AWS engines; built from the configuration when absent. */
  readonly engineClients?: EngineClients;
  /** For live Lake Formation mode; built from the configuration when absent. */
  readonly lakeFormationClient?: LakeFormationClient;
}

export interface Lakegate {
  /** Every HTTP request's way in (what the HTTP server calls; tests hand it to supertest). */
  readonly app: http.RequestListener;
  readonly httpServer: http.Server;
  readonly engines: ReadonlyMap<string, Engine>;
  listen(port: number, host: string): Promise<string>;
  /** Re-reads Lake Formation permissions now (also on SIGHUP); returns the issues that kept a change out. */
  reloadPermissions(): Promise<readonly Issue[]>;
  /** Stops taking requests, lets in-flight ones finish, then closes the engines and the cache. */
  stop(): Promise<void>;
}

export const DEV_SECRET_FILE = '.lakegate-dev-secret';
/** How long in-flight requests get to finish on shutdown before their connections are closed. */
const DRAIN_GRACE_MS = 10_000;


const EXAMPLE_QUERY = `# The five largest transactions and who paid. Docs: the book icon on the left.
query Example {
  transactions(limit: 5, orderBy: [{ amount: DESC }]) {
    transactionId amount currency ts
    customer { name country }
  }
}
`;

export async function createLakegate(options: LakegateOptions): Promise<Lakegate> {
  const { loaded, logger, env } = options;
  const { config } = loaded;
  for (const warning of loaded.warnings) logger.warn({ file: warning.file, line: warning.line, path: warning.path }, warning.message);
  const cache = await startResultCache(config.cache, env, logger);
  const metrics = createMetrics();
  // The cache goes outside any other decoration, so what that sees (metrics, a test's counting) are real engine queries;
  // the engine's queue inside the cache, so a cached answer never waits in it, and outside the metrics, so a wait is not engine time.
  const decorate = options.decorateEngine ?? ((engine: Engine) => engine);
  const observe = recordEngineQuery(metrics);
  const queue = { maxConcurrentQueries: config.limits.maxConcurrentQueries, maxQueueMs: config.limits.maxQueueMs };
  const { engines, dialects, routing } = await closingOnFailure(cache, createEngines(loaded, logger, (engine) => cache.decorate(queueingEngine(observedEngine(decorate(engine), observe), queue)), options.engineClients));
  const availability = new EngineAvailability();
  const policy = await closingOnFailure(cache, startPolicy(loaded, logger, options.lakeFormationClient));
  const longQueries = await startLongQueries(config.longQueries, env, engines, logger);
  if (longQueries) metrics.countLongQueriesWith(() => longQueries.longQueries.store.countRunning());
  const hs256Secret = resolveHs256Secret(config.auth, env, path.join(loaded.dir, DEV_SECRET_FILE));
  const verifier = createTokenVerifier(config.auth, { hs256Secret });
  // Local mode only (see resolveLocalSignIn): the pages may sign in as a dev role; otherwise those routes do not exist.
  const signIn = resolveLocalSignIn(config.auth, env, hs256Secret);
  const guards = await startGuards(config, env, logger);
  const cursors = resolveCursorKeys(config.paging, env, hs256Secret, logger);
  const services: PlannerServices = { engines, dialects, routing, availability, limits: config.limits, cursors, audit: logger.child({ audit: true }) };
  const kpiRefresh = startKpiRefresh(loaded.catalog.kpis, services, policy.store, cache.refreshLock, logger);
  const live = startLive({ services, policy: policy.store, webhooks: config.alerts.webhooks, shared: cache.shared, env, logger });

  const servers = new SchemaServers(logger, config.limits, persistedQuerySetup(config.persistedQueries, loaded.persistedDocuments), [requestSpanPlugin(), requestMetricsPlugin(metrics)]);
  const app = express();
  const logRequest = requestLog(logger);
  const graphql = graphqlRoute({
    verifier,
    requestRate: guards.requestRate,
    entitlementFor: (principals) => policy.store.entitlementFor(principals),
    serverFor: (key, catalog) => servers.serverFor(key, catalog),
    contextFor: (principal, entitlement, requestId, signal) => plannerContext(services, {
      caller: { subject: principal.subject, principals: principal.principals },
      entitlement,
      signal,
      longQueries: longQueries?.longQueries ?? null,
      kpiRefresher: kpiRefresh.refresher,
      guards: guards.callerGuards,
    }, { requestId: String(requestId), principal, describeOnly: entitlement.describeOnly, cost: null }),
    metrics,
    logger,
  });
  const exportRows = exportRoute({
    verifier,
    requestRate: guards.requestRate,
    entitlementFor: (principals) => policy.store.entitlementFor(principals),
    schemaFor: (key, catalog) => servers.schemaFor(key, catalog),
    plannerFor: (principal, entitlement, signal) => plannerContext(services, {
      caller: { subject: principal.subject, principals: principal.principals },
      entitlement,
      signal,
      longQueries: null,
      kpiRefresher: null,
      guards: guards.callerGuards,
    }),
    limits: config.limits,
    metrics,
    logger,
  });
  let ready = true;
  // GraphQL POSTs are served on node's request and response directly (see graphqlRoute); express serves the
  // pages and probes, and GETs of /graphql, which are the playground's when a browser asks for HTML.
  const listener: http.RequestListener = (req, res) => {
    logRequest(req, res);
    const path = pathOf(req);
    // Once shutting down, a request that still arrives on an open connection is sent elsewhere; probes still answer.
    if (!ready && path !== '/healthz' && path !== '/readyz') {
      return sendRefusal(res, refusal(503, 'SHUTTING_DOWN', 'The server is shutting down: retry, another replica will answer', {}, { connection: 'close', 'retry-after': '1' }));
    }
    if (req.method !== 'GET' && isGraphQLPath(path)) return graphql(req, res);
    if (path === EXPORT_PATH) return exportRows(req, res);
    app(req, res);
  };
  const httpServer = http.createServer(listener);
  const subscriptions = startSubscriptions({
    httpServer,
    path: '/graphql',
    verifier,
    policy: policy.store,
    schemaFor: (key, catalog) => servers.schemaFor(key, catalog),
    live,
    services,
    limits: config.limits,
    logger,
  });
  // A change of permissions reaches open subscriptions and the webhooks' watches at once.
  policy.onChange(() => {
    live.recheck();
    void subscriptions.recheck();
  });
  app.disable('x-powered-by');
  // No ETag: every GraphQL answer would be hashed for a validator no client of an API sends back.
  app.set('etag', false);
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  // Ready while at least one engine answers (the router falls back between them); each is reported.
  app.get('/readyz', (_req, res) => {
    void Promise.all([...engines].map(async ([name, engine]) => [name, ready && (await engine.health().catch(() => false))] as const)).then((checks) => {
      const healthy = checks.some(([, ok]) => ok);
      // The long-query store and the cache tier are reported but do not decide readiness: requests work without Redis.
      const store = longQueries ? { longQueryStore: longQueries.storeState() } : {};
      const limitStore = guards.state();
      res.status(healthy ? 200 : 503).json({
        status: healthy ? 'ready' : 'unavailable', engines: Object.fromEntries(checks), ...store, cache: cache.state(), ...(limitStore ? { limitStore } : {}),
      });
    });
  });
  app.get('/metrics', metricsEndpoint(metrics.registry, env));
  if (signIn) app.use(createDevSignInRouter(signIn));
  const pageSignIn = signIn ? { roles: signIn.roles, tokenUrl: DEV_TOKEN_PATH } : null;
  app.use(createPlaygroundRouter({ endpoint: '/graphql', defaultQuery: EXAMPLE_QUERY, tokenHint: 'npm run token -- --role analyst', signIn: pageSignIn }));
  app.use(createDashboardRouter({ endpoint: '/graphql', signIn, tokenUrl: DEV_TOKEN_PATH }));
  app.get(GRAPHQL_PATHS, (req, res) => graphql(req, res));
  app.use(malformedBodyHandler);
  app.use(unexpectedErrorHandler(logger));

  return {
    app: listener,
    httpServer,
    engines,
    listen: (port, host) => new Promise((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => {
        const address = httpServer.address();
        resolve(typeof address === 'object' && address ? `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` : String(address));
      });
    }),
    reloadPermissions: () => policy.reload(),
    stop: async () => {
      ready = false;
      policy.stop();
      kpiRefresh.stop();
      await subscriptions.close();
      await live.close();
      // A request waiting for a long query answers QUERY_RUNNING at waitMs: let it, so the query runs on for another replica.
      await drain(httpServer, DRAIN_GRACE_MS + (config.longQueries?.waitMs ?? 0));
      await servers.stop();
      await longQueries?.close();
      await Promise.all([...engines.values()].map((engine) => engine.close()));
      await guards.close();
      await cache.close();
    },
  };
}

const GRAPHQL_PATHS = ['/graphql', '/graphql/'];
const EXPORT_PATH = '/export';

function isGraphQLPath(path: string): boolean {
  return GRAPHQL_PATHS.includes(path);
}

/** A start-up step that fails closes the cache first: its Redis connection would keep the process alive. */
async function closingOnFailure<T>(cache: { close(): Promise<void> }, step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    await cache.close();
    throw error;
  }
}

/** A body express cannot parse is the client's mistake: 400 with a code, never a stack trace. */
const malformedBodyHandler: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error.type === 'entity.parse.failed') return void res.status(400).json(errorBody('BAD_REQUEST', 'Malformed JSON body'));
  if (error.type === 'entity.too.large') return void res.status(413).json(errorBody('BAD_REQUEST', 'Request body is too large'));
  if (error.status && error.status >= 400 && error.status < 500) return void res.status(error.status).json(errorBody('BAD_REQUEST', 'Bad request'));
  return next(error);
};

/** Last resort: log the failure, answer 500 with the generic shape (express would print a stack). */
function unexpectedErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    logger.error({ err: error }, 'unexpected error outside GraphQL');
    if (res.headersSent) return next(error);
    res.status(500).json(errorBody('INTERNAL_SERVER_ERROR', 'Internal server error'));
  };
}
