import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { Logger } from 'pino';
import { LakegateError } from '../query/errors';
import type { RequestContext } from './context';

/** Adds `extensions.lakegate`: every engine query the request ran, in order, and the operation's estimated cost. */
export function queryStatsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, lakegate: lakegateExtension(contextValue) };
        },
      };
    },
  };
}

/** `extensions.lakegate` of an answer: the engine queries in order, and the cost it was judged at. */
export function lakegateExtension(context: RequestContext): Record<string, unknown> {
  return context.cost ? { queries: context.queries, cost: context.cost } : { queries: context.queries };
}

/** The log line of one GraphQL request: operation, duration, engine queries, error codes. */
export function logGraphQLRequest(logger: Logger, context: RequestContext, operationName: string | null, startedAt: number, codes: readonly unknown[] | undefined): void {
  logger.info({
    requestId: context.requestId,
    subject: context.principal.subject,
    operationName,
    durationMs: Math.round(performance.now() - startedAt),
    engineQueries: context.queries.length,
    errors: codes,
  }, 'graphql request');
}

/** The codes of the errors a client got, for the log. */
export function errorCodes(errors: readonly { readonly extensions?: Readonly<Record<string, unknown>> | undefined }[] | undefined): unknown[] | undefined {
  return errors?.map((error) => error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR');
}

/** One log line per GraphQL request. */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin<RequestContext> {
  const started = new WeakMap<object, number>();
  const log = (requestContext: GraphQLRequestContext<RequestContext>, codes: readonly unknown[] | undefined): void => {
    const { contextValue, operationName, request } = requestContext;
    logGraphQLRequest(logger, contextValue, operationName ?? request.operationName ?? null, started.get(requestContext) ?? performance.now(), codes);
  };
  return {
    async requestDidStart(requestContext) {
      started.set(requestContext, performance.now());
      return {
        async willSendResponse({ errors }) {
          log(requestContext, errorCodes(errors));
        },
      };
    },
    // A request refused before parsing or validation (see refusalsPlugin) never reaches willSendResponse.
    async unexpectedErrorProcessingRequest({ requestContext, error }) {
      log(requestContext, [error instanceof LakegateError ? error.extensions.code : 'INTERNAL_SERVER_ERROR']);
    },
  };
}
