import { getOperationAST, GraphQLError, parse, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { checkArguments } from './argument-limits';
import { checkCost, estimateCost } from './cost';
import { scanDocument } from './document-scan';
import { fragmentsOf } from './fragments';
import { checkOperationShape } from './operation-shape';
import { operationVariables } from './operation-values';
import { limitExceeded, type DocumentLimits, type LimitViolation } from './violation';

/** A subscription as graphql-ws receives it. */
export interface SubscriptionRequest {
  readonly query: string;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>> | null;
}

/**
 * A WebSocket subscription held to the limits an HTTP request is held to, at the same points:
 * tokens and nesting before parsing, the operation's shape before validation, then its arguments
 * and cost. The parsed, validated operation to execute, or the errors to answer with.
 */
export function checkSubscription(schema: GraphQLSchema, request: SubscriptionRequest, limits: DocumentLimits): Omit<ExecutionArgs, 'contextValue'> | readonly GraphQLError[] {
  const refused = (violation: LimitViolation): readonly GraphQLError[] => {
    const error = limitExceeded(violation);
    return [new GraphQLError(error.message, { extensions: error.extensions })];
  };
  const scanned = scanDocument(request.query, limits);
  if (scanned) return refused(scanned);
  let document;
  try {
    document = parse(request.query, { maxTokens: limits.maxTokens });
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message)];
  }
  const shape = checkOperationShape(schema, document, limits);
  if (shape) return refused(shape);
  const invalid = validate(schema, document);
  if (invalid.length > 0) return invalid;
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) return [new GraphQLError('no operation to run: name one with operationName')];
  const fragments = fragmentsOf(document);
  const variables = operationVariables(operation, request.variables ?? undefined);
  const violation = checkArguments(operation, fragments, variables, limits) ?? checkCost(estimateCost(schema, operation, fragments, variables, limits), limits);
  if (violation) return refused(violation);
  return { schema, document, operationName: request.operationName ?? null, variableValues: request.variables ?? null };
}
