import type http from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { CloseCode, type Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Principal } from '../auth/types';
import type { Catalog } from '../catalog/types';
import type { Entitlement } from '../policy/entitlement';
import type { PolicyStore } from '../policy/store';
import type { TokenVerifier } from '../auth/verifier';
import type { RunningLive } from './live/start';
import type { LiveSession } from './live/sessions';
import { checkSubscription } from './limits/subscription';
import type { DocumentLimits } from './limits/violation';
import { plannerContext, type PlannerServices } from './planner-context';

/** graphql-ws close codes of ours: a token that is missing, invalid or expired; too many connections for one caller. */
const UNAUTHORIZED = CloseCode.Unauthorized;
const TOO_MANY_CONNECTIONS = 4429;

export interface SubscriptionServerOptions {
  readonly httpServer: http.Server;
  readonly path: string;
  readonly verifier: TokenVerifier;
  readonly policy: PolicyStore;
  /** The caller's cut of the schema, shared with its HTTP requests. */
  readonly schemaFor: (key: string, catalog: Catalog) => Promise<GraphQLSchema>;
  readonly live: RunningLive;
  readonly services: PlannerServices;
  readonly limits: DocumentLimits & { readonly maxConnectionsPerCaller: number };
  readonly logger: Logger;
}

interface Connection {
  readonly principal: Principal;
  entitlement: Entitlement;
  schema: GraphQLSchema;
  readonly session: LiveSession;
  readonly closed: AbortController;
  readonly expiry: NodeJS.Timeout | undefined;
}

export interface SubscriptionServer {
  /** Permissions changed: every connection reads with its caller's new view from now on, and its open subscriptions are re-checked. */
  recheck(): Promise<void>;
  /** Closes every connection (1001 going away) and stops accepting new ones. */
  close(): Promise<void>;
}

/**
 * Subscriptions over graphql-ws on the HTTP server's port and GraphQL path. The token travels in
 * `connection_init`'s payload (`{ "Authorization": "Bearer …" }`) and is verified like a
 * request's; each connection is served its caller's schema and view, and is closed when its
 * token expires.
 */
export function startSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path });
  const connections = new Map<Context, Connection>();
  const perCaller = new Map<string, number>();
  const connectionOf = (ctx: Context): Connection => {
    const connection = connections.get(ctx);
    if (!connection) throw new Error('subscription on a connection that was not initialised');
    return connection;
  };
  const server = useServer({
    // The document limits of an HTTP request, before anything is evaluated.
    onSubscribe: (ctx, _id, payload) => checkSubscription(connectionOf(ctx).schema, payload, options.limits),
    context: (ctx) => {
      const connection = connectionOf(ctx);
      const caller = { subject: connection.principal.subject, principals: connection.principal.principals };
      return {
        ...plannerContext(options.services, { caller, entitlement: connection.entitlement, signal: connection.closed.signal, longQueries: null, kpiRefresher: null, guards: null }),
        principal: connection.principal,
        describeOnly: connection.entitlement.describeOnly,
        live: connection.session,
      };
    },
    onConnect: async (ctx) => {
      const socket = (ctx.extra as { socket: { close(code: number, reason: string): void } }).socket;
      const result = await options.verifier.verify(authorizationOf(ctx.connectionParams));
      if (!result.ok) {
        socket.close(UNAUTHORIZED, `Unauthorized: ${result.reason}`.slice(0, 120));
        return false;
      }
      const { principal } = result;
      const open = perCaller.get(principal.subject) ?? 0;
      const maxConnections = options.limits.maxConnectionsPerCaller;
      if (maxConnections > 0 && open >= maxConnections) {
        socket.close(TOO_MANY_CONNECTIONS, `Too many connections: limits.maxConnectionsPerCaller is ${maxConnections}`);
        return false;
      }
      perCaller.set(principal.subject, open + 1);
      const entitlement = options.policy.entitlementFor(principal.principals);
      const caller = { subject: principal.subject, principals: principal.principals };
      connections.set(ctx, {
        principal,
        entitlement,
        schema: await options.schemaFor(entitlement.key, entitlement.catalog),
        session: options.live.sessionFor(caller),
        closed: new AbortController(),
        expiry: expiryTimer(principal, () => socket.close(UNAUTHORIZED, 'Unauthorized: the token expired')),
      });
      return true;
    },
    onClose: (ctx) => {
      const connection = connections.get(ctx);
      if (!connection) return;
      connections.delete(ctx);
      clearTimeout(connection.expiry);
      connection.closed.abort();
      connection.session.close();
      const open = (perCaller.get(connection.principal.subject) ?? 1) - 1;
      if (open > 0) perCaller.set(connection.principal.subject, open);
      else perCaller.delete(connection.principal.subject);
    },
  }, wss);
  return {
    recheck: async () => {
      await Promise.all([...connections.values()].map(async (connection) => {
        connection.entitlement = options.policy.entitlementFor(connection.principal.principals);
        connection.schema = await options.schemaFor(connection.entitlement.key, connection.entitlement.catalog);
        connection.session.recheck();
      }));
    },
    close: async () => {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The `Authorization` value of the connection_init payload (any letter case of the key). */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const entry = Object.entries(params ?? {}).find(([key]) => key.toLowerCase() === 'authorization');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

/** Closes the connection when the token's `exp` passes (undefined for a token without one). */
function expiryTimer(principal: Principal, close: () => void): NodeJS.Timeout | undefined {
  const exp = principal.claims['exp'];
  // Timers hold at most 2^31 - 1 ms (about 24 days); a token that lives longer is checked on its next connection.
  if (typeof exp !== 'number' || exp * 1000 - Date.now() > 2_147_483_647) return undefined;
  const timer = setTimeout(close, Math.max(0, exp * 1000 - Date.now()));
  timer.unref();
  return timer;
}
