import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { resolveHs256Secret } from '../auth/secret';
import { createTokenVerifier } from '../auth/verifier';
import type { LoadedConfig } from '../config/load';
import { createLocalEngine } from '../datasources/local/engine';
import type { Engine } from '../datasources/types';
import type { Principal } from '../auth/types';
import { buildLakeSchema } from '../schema/build';
import { requireBearerToken } from './auth-middleware';
import type { RequestContext } from './context';
import { createErrorFormatter, errorBody } from './errors';
import { createPlaygroundRouter } from './playground';
import { depthLimitPlugin, queryStatsPlugin, requestLogPlugin } from './plugins';

export interface LakegateOptions {
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** Wraps the engine (caching, metrics, or a test's instrumentation) without forking it. */
  readonly decorateEngine?: (engine: Engine) => Engine;
}

export interface Lakegate {
  readonly app: express.Express;
  readonly httpServer: http.Server;
  readonly engine: Engine;
  listen(port: number, host: string): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish, then closes the engine. */
  stop(): Promise<void>;
}

export const DEV_SECRET_FILE = '.lakegate-dev-secret';

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
  const { config, catalog } = loaded;
  const local = config.engines.local;
  const baseEngine = await createLocalEngine({
    tables: catalog.tables,
    lakePath: path.resolve(loaded.dir, local.lakePath),
    s3Prefix: local.s3Prefix,
    ...(local.threads ? { threads: local.threads } : {}),
    ...(local.memoryLimit ? { memoryLimit: local.memoryLimit } : {}),
  });
  const engine = options.decorateEngine ? options.decorateEngine(baseEngine) : baseEngine;
  const engines = new Map([[engine.name, engine]]);
  const schema = await buildLakeSchema(catalog);
  const verifier = createTokenVerifier(config.auth, {
    hs256Secret: resolveHs256Secret(config.auth, env, path.join(loaded.dir, DEV_SECRET_FILE)),
  });

  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      depthLimitPlugin(config.limits.maxDepth),
      queryStatsPlugin(),
      requestLogPlugin(logger),
    ],
  });
  await apollo.start();

  let ready = true;
  app.disable('x-powered-by');
  app.use(pinoHttp({
    logger,
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    // Only what an operator needs: headers carry bearer tokens and must never reach a log.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string; headers: Record<string, unknown> }) => ({
        id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress, userAgent: req.headers['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  }));
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const check = ready ? engine.health().catch(() => false) : Promise.resolve(false);
    void check.then((healthy) => res.status(healthy ? 200 : 503).json({ status: healthy ? 'ready' : 'unavailable', engines: { [engine.name]: healthy } }));
  });
  app.use(createPlaygroundRouter({ endpoint: '/graphql', defaultQuery: EXAMPLE_QUERY, tokenHint: 'npm run token -- --role analyst' }));
  app.use(
    '/graphql',
    requireBearerToken(verifier),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const controller = new AbortController();
        // A client that goes away cancels its engine queries.
        res.on('close', () => {
          if (!res.writableFinished) controller.abort();
        });
        return {
          requestId: String(req.id ?? randomUUID()),
          principal: res.locals['principal'] as Principal,
          catalog,
          engines,
          limits: config.limits,
          signal: controller.signal,
          logger,
          queries: [],
          loaders: new Map(),
        };
      },
    }),
  );
  app.use(malformedBodyHandler);
  app.use(unexpectedErrorHandler(logger));

  return {
    app,
    httpServer,
    engine,
    listen: (port, host) => new Promise((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => {
        const address = httpServer.address();
        resolve(typeof address === 'object' && address ? `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` : String(address));
      });
    }),
    stop: async () => {
      ready = false;
      await apollo.stop();
      await engine.close();
    },
  };
}

/** A body express cannot parse is the client's mistake: 400 with a code, never a stack trace. */
const malformedBodyHandler: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error.type === 'entity.parse.failed') return void res.status(400).json(errorBody('BAD_REQUEST', 'Malformed JSON body'));
  if (error.type === 'entity.too.large') return void res.status(413).json(errorBody('BAD_REQUEST', 'Request body is too large (limit 1 MB)'));
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
