import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import { countErrors, outcomeOf, type LakegateMetrics } from '../observability/metrics';
import type { RequestContext } from './context';

/**
 * GraphQL requests in the metrics: duration by operation and outcome, errors by code, refusals by
 * limit, and the result cache's answers to the request's engine queries (their `stats.cache`).
 */
export function requestMetricsPlugin(metrics: LakegateMetrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ response, operation, contextValue }) {
          // The errors as the client gets them: codes already masked by the error formatter.
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
          recordGraphQLRequest(metrics, { operation, errors, context: contextValue, startedAt: started });
        },
      };
    },
  };
}

/** One answered GraphQL request in the metrics: its duration and outcome, its errors, its cache answers. */
export function recordGraphQLRequest(metrics: LakegateMetrics, request: {
  readonly operation: OperationDefinitionNode | undefined;
  readonly errors: readonly GraphQLFormattedError[];
  readonly context: RequestContext;
  readonly startedAt: number;
}): void {
  metrics.requestDuration.observe({ operation: metrics.operationNames.label(request.operation), outcome: outcomeOf(request.errors) }, (performance.now() - request.startedAt) / 1_000);
  countErrors(metrics, request.errors);
  for (const query of request.context.queries) {
    if (query.cache !== 'none') metrics.cacheOutcomes.inc({ engine: query.engine, outcome: query.cache });
  }
}
