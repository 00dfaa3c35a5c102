import type { ApolloServerPlugin } from '@apollo/server';
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
          metrics.requestDuration.observe({ operation: metrics.operationNames.label(operation), outcome: outcomeOf(errors) }, (performance.now() - started) / 1_000);
          countErrors(metrics, errors);
          for (const query of contextValue.queries) {
            if (query.cache !== 'none') metrics.cacheOutcomes.inc({ engine: query.engine, outcome: query.cache });
          }
        },
      };
    },
  };
}
