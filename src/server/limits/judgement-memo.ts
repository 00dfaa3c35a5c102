import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';

/** Variable sets remembered per operation; a client sending more distinct ones is judged afresh each time. */
const VARIABLE_SETS_PER_OPERATION = 32;

/**
 * Remembers a judgement of (operation, schema, variables): Apollo hands the same parsed operation
 * object to every request with the same document, and the caller's schema object is shared by
 * callers with the same view, so the judgement is computed once per variable set instead of per
 * request. Weakly held: an operation or schema that leaves Apollo's caches leaves this one too.
 */
export function judgementMemo<T>(): (operation: OperationDefinitionNode, schema: GraphQLSchema, variables: Readonly<Record<string, unknown>> | undefined, judge: () => T) => T {
  const byOperation = new WeakMap<OperationDefinitionNode, WeakMap<GraphQLSchema, Map<string, T>>>();
  return (operation, schema, variables, judge) => {
    let bySchema = byOperation.get(operation);
    if (!bySchema) byOperation.set(operation, (bySchema = new WeakMap()));
    let byVariables = bySchema.get(schema);
    if (!byVariables) bySchema.set(schema, (byVariables = new Map()));
    const key = operation.variableDefinitions?.length ? JSON.stringify(variables ?? {}) : '';
    const known = byVariables.get(key);
    if (known !== undefined) return known;
    const judged = judge();
    if (byVariables.size >= VARIABLE_SETS_PER_OPERATION) byVariables.clear();
    byVariables.set(key, judged);
    return judged;
  };
}
