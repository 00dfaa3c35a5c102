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
          const cost = contextValue.cost ? { cost: contextValue.cost } : {};
          result.extensions = { ...result.extensions, lakegate: { queries: contextValue.queries, ...cost } };
        },
      };
    },
  };
}

/** One log line per GraphQL request: operation, duration, engine queries, error codes. */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin<RequestContext> {
  const started = new WeakMap<object, number>();
  const log = (requestContext: GraphQLRequestContext<RequestContext>, codes: readonly unknown[] | undefined): void => {
    const { contextValue, operationName, request } = requestContext;
    logger.info({
      requestId: contextValue.requestId,
      subject: contextValue.principal.subject,
      operationName: operationName ?? request.operationName ?? null,
      durationMs: Math.round(performance.now() - (started.get(requestContext) ?? performance.now())),
      engineQueries: contextValue.queries.length,
      errors: codes,
    }, 'graphql request');
  };
  return {
    async requestDidStart(requestContext) {
      started.set(requestContext, performance.now());
      return {
        async willSendResponse({ errors }) {
          log(requestContext, errors?.map((error) => error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR'));
        },
      };
    },
    // A request refused before parsing or validation (see refusalsPlugin) never reaches willSendResponse.
    async unexpectedErrorProcessingRequest({ requestContext, error }) {
      log(requestContext, [error instanceof LakegateError ? error.extensions.code : 'INTERNAL_SERVER_ERROR']);
    },
  };
}
