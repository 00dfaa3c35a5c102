import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type ASTNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Logger } from 'pino';
import type { RequestContext } from './context';

/** Adds `extensions.lakegate.queries`: every engine query the request ran, in order. */
export function queryStatsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, lakegate: { queries: contextValue.queries } };
        },
      };
    },
  };
}

/**
 * Refuses operations nested deeper than `maxDepth` (relations make cycles possible). A plugin
 * rather than a validation rule because Apollo relabels validation errors, and this one is a
 * LIMIT_EXCEEDED.
 */
export function depthLimitPlugin(maxDepth: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions.filter((def): def is FragmentDefinitionNode => def.kind === Kind.FRAGMENT_DEFINITION).map((def) => [def.name.value, def]),
          );
          const depth = selectionDepth(operation.selectionSet, fragments, new Set());
          if (depth > maxDepth) {
            throw new GraphQLError(`query depth ${depth} exceeds the maximum of ${maxDepth}`, {
              extensions: { code: 'LIMIT_EXCEEDED', maxDepth, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

function selectionDepth(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, visiting: Set<string>): number {
  let deepest = 0;
  for (const selection of set?.selections ?? []) {
    deepest = Math.max(deepest, nodeDepth(selection, fragments, visiting));
  }
  return deepest;
}

function nodeDepth(node: ASTNode, fragments: Record<string, FragmentDefinitionNode>, visiting: Set<string>): number {
  // Introspection (`__schema`, `__type`) is deep by design and reads no data.
  if (node.kind === Kind.FIELD && node.name.value.startsWith('__')) return 0;
  if (node.kind === Kind.FIELD) return node.selectionSet ? 1 + selectionDepth(node.selectionSet, fragments, visiting) : 1;
  if (node.kind === Kind.INLINE_FRAGMENT) return selectionDepth(node.selectionSet, fragments, visiting);
  if (node.kind !== Kind.FRAGMENT_SPREAD || visiting.has(node.name.value)) return 0;
  visiting.add(node.name.value);
  const depth = selectionDepth(fragments[node.name.value]?.selectionSet, fragments, visiting);
  visiting.delete(node.name.value);
  return depth;
}

/** One log line per GraphQL request: operation, duration, engine queries, error codes. */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors }) {
          logger.info({
            requestId: contextValue.requestId,
            subject: contextValue.principal.subject,
            operationName: operationName ?? null,
            durationMs: Math.round(performance.now() - started),
            engineQueries: contextValue.queries.length,
            errors: errors?.map((error) => error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR'),
          }, 'graphql request');
        },
      };
    },
  };
}
