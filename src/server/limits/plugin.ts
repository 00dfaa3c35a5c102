import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context';
import { checkArguments } from './argument-limits';
import { checkCost, estimateCost } from './cost';
import { scanDocument } from './document-scan';
import { fragmentsOf } from './fragments';
import { judgementMemo } from './judgement-memo';
import { checkOperationShape } from './operation-shape';
import { operationVariables } from './operation-values';
import { limitExceeded, type DocumentLimits, type LimitViolation } from './violation';
import type { CostEstimate } from './cost';

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
/** The operation-level verdict: the first limit it breaks, or its estimated cost. */
type Judgement = { readonly violation: LimitViolation } | { readonly violation: null; readonly estimate: CostEstimate };

export function limitsPlugin(limits: DocumentLimits): ApolloServerPlugin<RequestContext> {
  const judged = judgementMemo<Judgement>();
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
          const judgement = judged(operation, schema, request.variables, () => {
            const fragments = fragmentsOf(document);
            const variables = operationVariables(operation, request.variables);
            const argumentViolation = checkArguments(operation, fragments, variables, limits);
            if (argumentViolation) return { violation: argumentViolation };
            const cost = estimateCost(schema, operation, fragments, variables, limits);
            const costViolation = checkCost(cost, limits);
            return costViolation ? { violation: costViolation } : { violation: null, estimate: cost };
          });
          refuse(judgement.violation);
          if (judgement.violation === null) contextValue.cost = { ...judgement.estimate, max: limits.maxCost };
        },
      };
    },
  };
}

function refuse(violation: LimitViolation | null): void {
  if (violation) throw limitExceeded(violation);
}
