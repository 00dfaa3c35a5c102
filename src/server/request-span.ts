import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import { codeLabel } from '../observability/labels';
import { markFailed, tracer, tracing } from '../observability/tracing';
import type { RequestContext } from './context';

export interface RequestSpan {
  /** The context to run the request in: the span is active for everything the request starts. */
  readonly active: Context;
  /** Records the errors of an answer given before GraphQL runs. */
  recordRefusal(errors: readonly GraphQLFormattedError[]): void;
  /** Records the GraphQL side of an answer given without Apollo (a prepared operation), as the plugin does. */
  recordAnswer(answer: GraphQLAnswer): void;
}

interface GraphQLAnswer {
  readonly requestId: string;
  readonly operation: OperationDefinitionNode;
  readonly errors: readonly GraphQLFormattedError[];
}

/**
 * The root span of a /graphql request, continuing the caller's trace when it sends a W3C
 * `traceparent`; null when no tracing SDK is registered. It is active for everything the request
 * starts (Apollo, the planner's spans), listeners on the request and response streams included.
 * Method, route and status only: the URL of a GET carries the query and its variables.
 */
export function startRequestSpan(req: IncomingMessage, res: ServerResponse): RequestSpan | null {
  if (!tracing()) return null;
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer().startSpan(`${req.method} /graphql`, {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': req.method ?? '', 'http.route': '/graphql' },
  }, parent);
  const active = trace.setSpan(parent, span);
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    span.end();
  });
  context.bind(active, req);
  context.bind(active, res);
  return { active, recordRefusal: (errors) => recordErrors(span, errors), recordAnswer: (answer) => recordAnswer(span, answer) };
}

/** Adds the GraphQL side to the request span: the operation, and the errors by code and path. */
export function requestSpanPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const span = trace.getActiveSpan();
      span?.setAttribute('lakegate.request_id', contextValue.requestId);
      return {
        async didResolveOperation({ operation, operationName }) {
          if (span && operation) recordOperation(span, operation, operationName);
        },
        async willSendResponse({ response }) {
          if (span && response.body.kind === 'single') recordErrors(span, response.body.singleResult.errors ?? []);
        },
      };
    },
  };
}

function recordAnswer(span: Span, answer: GraphQLAnswer): void {
  span.setAttribute('lakegate.request_id', answer.requestId);
  recordOperation(span, answer.operation, answer.operation.name?.value ?? null);
  recordErrors(span, answer.errors);
}

function recordOperation(span: Span, operation: OperationDefinitionNode, operationName: string | null): void {
  span.setAttributes({ 'graphql.operation.type': operation.operation, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
}

/** One event per error (code and path: field names and indexes, no values); the span fails with the first code. */
function recordErrors(span: Span, errors: readonly GraphQLFormattedError[]): void {
  for (const error of errors) {
    span.addEvent('graphql.error', { 'error.type': codeLabel(error.extensions?.['code']), ...(error.path ? { 'graphql.error.path': error.path.join('.') } : {}) });
  }
  const [first] = errors;
  if (first) markFailed(span, codeLabel(first.extensions?.['code']));
}
