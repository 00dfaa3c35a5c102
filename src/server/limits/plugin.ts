import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { RequestContext } from '../context';
import { checkArguments } from './argument-limits';
import { checkCost, estimateCost } from './cost';
import { scanDocument } from './document-scan';
import { fragmentsOf } from './fragments';
import { judgementMemo } from './judgement-memo';
import { checkOperationShape } from './operation-shape';
import { operationVariables } from './operation-values';
import { limitExceeded, type DocumentLimits, type LimitViolation } from './violation';
import type { CostReport } from './cost';

/** The operation-level verdict: the first limit it breaks, or its estimated cost as the answer reports it. */
export type Judgement = { readonly violation: LimitViolation } | { readonly violation: null; readonly report: CostReport };

/** Judges an operation with the variables a request sent (argument limits, then the estimated cost). */
export type OperationJudge = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | undefined) => Judgement;

/** One judge per schema server, shared by Apollo's road and prepared operations: each verdict is remembered per variable set. */
export function operationJudge(limits: DocumentLimits): OperationJudge {
  const judged = judgementMemo<Judgement>();
  return (schema, document, operation, variables) => judged(operation, schema, variables, () => {
    const fragments = fragmentsOf(document);
    const values = operationVariables(operation, variables);
    const argumentViolation = checkArguments(operation, fragments, values, limits);
    if (argumentViolation) return { violation: argumentViolation };
    const cost = estimateCost(schema, operation, fragments, values, limits);
    const costViolation = checkCost(cost, limits);
    // The report is the answer's `extensions.lakegate.cost`, read only: one object for every request judged alike.
    return costViolation ? { violation: costViolation } : { violation: null, report: Object.freeze({ ...cost, max: limits.maxCost }) };
  });
}

/**
 * Refuses documents over the configured limits before any engine query starts, each with
 * LIMIT_EXCEEDED (HTTP 400) naming the limit and its value, at the earliest point it can be
 * judged:
 * - before parsing: tokens and bracket nesting (the parser never sees a huge or deep document);
 * - before validation: aliases, root fields, directives, selection depth;
 * - once the operation is known, with its variables: filter nesting, list lengths, estimated cost.
 * Errors thrown before parsing or validation reach the client through `refusalsPlugin`. A
 * document Apollo has already parsed and validated (its document cache) passed the first two.
 */
export function limitsPlugin(limits: DocumentLimits, judge: OperationJudge): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart({ source }) {
          refuse(scanDocument(source, limits));
        },
        async validationDidStart({ schema, document }) {
          refuse(checkOperationShape(schema, document, limits));
        },
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const judgement = judge(schema, document, operation, request.variables);
          refuse(judgement.violation);
          if (judgement.violation === null) contextValue.cost = judgement.report;
        },
      };
    },
  };
}

function refuse(violation: LimitViolation | null): void {
  if (violation) throw limitExceeded(violation);
}
