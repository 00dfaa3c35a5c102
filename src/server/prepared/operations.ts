import type { IncomingHttpHeaders } from 'node:http';
import { getVariableValues, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { RequestContext } from '../context';
import type { OperationJudge } from '../limits/plugin';
import type { DocumentLimits } from '../limits/violation';
import { lakegateExtension } from '../plugins';
import { executePrepared } from './execute';
import { prepareOperation, type PreparedOperation } from './prepare';
import { preparedAnswer, type ErrorFormatter, type PreparedAnswer } from './respond';

/** A POST body the short road may answer: a document in full, its variables and operation name, nothing else. */
export interface PreparedRequest {
  readonly source: string;
  readonly operationName: string | undefined;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
}

/** What a schema server gives its prepared operations. */
export interface PreparedSetup {
  readonly schema: GraphQLSchema;
  readonly limits: DocumentLimits;
  readonly judge: OperationJudge;
  readonly formatError: ErrorFormatter;
  /** Whether the persisted-queries mode lets this document run when sent in full (an allowlist may not). */
  readonly admitsDocument: (source: string) => boolean;
}

/** Documents remembered per schema server, prepared or found not preparable. */
const REMEMBERED_DOCUMENTS = 1_000;
const REMEMBERED_BYTES = 16 * 1024 ** 2;

/**
 * The short road of one schema server: documents prepared once (parsed, validated, held to the
 * document limits, their arguments coerced when they have no variables) and answered without
 * Apollo's request pipeline or graphql-js's `execute`, byte for byte as those would answer them.
 * A request the short road does not take — another document, persisted-query extensions, an
 * `Accept` other than JSON, variables that do not coerce, an operation over a limit — goes
 * through Apollo, before anything has run, so its answer comes from the one road that words it.
 */
export class PreparedOperations {
  private readonly documents = new LRUCache<string, { readonly prepared: PreparedOperation | null }>({
    max: REMEMBERED_DOCUMENTS,
    maxSize: REMEMBERED_BYTES,
    sizeCalculation: (_value, key) => key.length + 1,
  });

  constructor(private readonly setup: PreparedSetup) {}

  /** The prepared operation for this request's document, or null when Apollo answers it. */
  lookup(request: PreparedRequest): PreparedOperation | null {
    const key = JSON.stringify([request.operationName ?? null, request.source]);
    let known = this.documents.get(key);
    if (!known) {
      const { schema, limits, admitsDocument } = this.setup;
      known = { prepared: admitsDocument(request.source) ? prepareOperation(schema, request.source, request.operationName, limits) : null };
      this.documents.set(key, known);
    }
    return known.prepared;
  }

  /**
   * Answers a prepared operation in the context `contextFor` makes, or returns null (nothing run,
   * no context made) for Apollo to answer: variables that do not coerce, or an operation over a
   * limit with these variables.
   */
  async answer(prepared: PreparedOperation, request: PreparedRequest, contextFor: () => RequestContext): Promise<PreparedAnswer & { readonly context: RequestContext; readonly operation: OperationDefinitionNode } | null> {
    const { schema, judge, formatError } = this.setup;
    const { operation } = prepared;
    let variableValues: Readonly<Record<string, unknown>> = {};
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {}, { maxErrors: 50 });
      if (coerced.errors) return null;
      variableValues = coerced.coerced;
    }
    const judgement = judge(schema, prepared.document, operation, request.variables);
    if (judgement.violation) return null;
    const context = contextFor();
    context.cost = judgement.report;
    const result = await executePrepared(schema, prepared, context, variableValues);
    return { ...preparedAnswer(result, { lakegate: lakegateExtension(context) }, formatError), context, operation };
  }
}

const BODY_KEYS = new Set(['query', 'variables', 'operationName']);

/**
 * The request as the short road reads it, or null: only a JSON object of `query`, `variables`
 * and `operationName`, from a client that accepts a JSON answer (Apollo negotiates the rest).
 */
export function preparedRequest(headers: IncomingHttpHeaders, body: unknown): PreparedRequest | null {
  const accept = headers.accept;
  if (accept !== undefined && accept !== '*/*' && accept !== 'application/json') return null;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const fields = body as Record<string, unknown>;
  for (const key in fields) if (!BODY_KEYS.has(key)) return null;
  const { query, variables, operationName } = fields;
  if (typeof query !== 'string') return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  return { source: query, operationName: operationName ?? undefined, variables: (variables ?? undefined) as Readonly<Record<string, unknown>> | undefined };
}
