import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { context } from '@opentelemetry/api';
import type { Principal } from '../../auth/types';
import type { Catalog } from '../../catalog/types';
import { dispatchedAbort } from '../../datasources/shared/abort';
import { countErrors, type LakegateMetrics } from '../../observability/metrics';
import type { Entitlement } from '../../policy/entitlement';
import type { RequestContext } from '../context';
import { requestIdOf } from '../request-log';
import { errorCodes, logGraphQLRequest } from '../plugins';
import { preparedRequest } from '../prepared/operations';
import { recordGraphQLRequest } from '../request-metrics';
import { startRequestSpan, type RequestSpan } from '../request-span';
import type { SchemaServer } from '../schema-servers';
import { admitCaller, type CallerChecks } from './admit-caller';
import { readJsonBody, type JsonBody } from './json-body';
import { refusal, sendRefusal, type Refusal } from './refusal';

export interface GraphQLRouteOptions extends CallerChecks {
  readonly entitlementFor: (principals: readonly string[]) => Entitlement;
  readonly serverFor: (key: string, catalog: Catalog) => Promise<SchemaServer>;
  /** The context of one request; `signal` aborts when the client leaves before its answer. */
  readonly contextFor: (principal: Principal, entitlement: Entitlement, requestId: number, signal: AbortSignal) => RequestContext;
  readonly metrics: LakegateMetrics;
}

/** Serves one request to /graphql. */
export type GraphQLRoute = (req: IncomingMessage, res: ServerResponse) => void;

const NO_BODY: JsonBody = { ok: true, value: undefined };

/**
 * GraphQL over HTTP on node's own request and response, the shortest road from a socket to Apollo
 * Server: token, request rate, JSON body, the caller's schema, then Apollo's
 * `executeHTTPGraphQLRequest`. Every answer before GraphQL runs is a refusal value, counted in
 * the metrics and the request's span like GraphQL's own errors.
 */
export function graphqlRoute(options: GraphQLRouteOptions): GraphQLRoute {
  const { metrics, logger } = options;
  return (req, res) => {
    metrics.requestsInFlight.inc();
    res.once('close', () => metrics.requestsInFlight.dec());
    const span = startRequestSpan(req, res);
    const refuse = (answer: Refusal): void => {
      countErrors(metrics, answer.body.errors);
      span?.recordRefusal(answer.body.errors);
      sendRefusal(res, answer);
    };
    const serve = (): Promise<void> => answer(options, req, res, refuse, span).catch((error: unknown) => {
      logger.error({ err: error }, 'unexpected error outside GraphQL');
      if (res.headersSent) res.destroy();
      else refuse(refusal(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    });
    if (span) void context.with(span.active, serve);
    else void serve();
  };
}

async function answer(options: GraphQLRouteOptions, req: IncomingMessage, res: ServerResponse, refuse: (answer: Refusal) => void, span: RequestSpan | null): Promise<void> {
  const caller = await admitCaller(options, req);
  if (!caller.ok) return refuse(caller.refusal);
  const { principal } = caller;
  const body = req.method === 'POST' ? await readJsonBody(req) : NO_BODY;
  if (!body.ok) return refuse(body.refusal);
  const entitlement = options.entitlementFor(principal.principals);
  const server = await options.serverFor(entitlement.key, entitlement.catalog);
  const contextFor = (): RequestContext => options.contextFor(principal, entitlement, requestIdOf(req), abortedOnClose(res));
  if (req.method === 'POST' && await answerPrepared(options, server, body.value, contextFor, res, span)) return;
  const response = await server.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMap(req), search: searchOf(req.url), body: body.value },
    context: async () => contextFor(),
  });
  await writeResponse(res, response);
}

/**
 * Answers on the short road when the schema server has the document prepared and the request
 * passes its limits there (see PreparedOperations); false, with nothing run, when Apollo answers.
 */
async function answerPrepared(options: GraphQLRouteOptions, server: SchemaServer, body: unknown, contextFor: () => RequestContext, res: ServerResponse, span: RequestSpan | null): Promise<boolean> {
  const request = preparedRequest(res.req.headers, body);
  const prepared = request && server.prepared.lookup(request);
  if (!request || !prepared) return false;
  const startedAt = performance.now();
  const answered = await server.prepared.answer(prepared, request, contextFor);
  if (!answered) return false;
  const { context, operation } = answered;
  options.metrics.preparedRequests.inc();
  logGraphQLRequest(options.logger, context, operation.name?.value ?? null, startedAt, errorCodes(answered.raised.length > 0 ? answered.raised : undefined));
  span?.recordAnswer({ requestId: context.requestId, operation, errors: answered.errors });
  recordGraphQLRequest(options.metrics, { operation, errors: answered.errors, context, startedAt });
  res.statusCode = answered.status;
  for (const [name, value] of answered.headers) res.setHeader(name, value);
  res.end(answered.body);
  return true;
}

function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function searchOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  return query === -1 ? '' : url!.slice(query);
}

/** A client that goes away before its answer cancels its engine queries. */
export function abortedOnClose(res: ServerResponse): AbortSignal {
  const controller = dispatchedAbort();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
