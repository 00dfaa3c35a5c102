import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { codeLabel } from '../observability/labels';
import { markFailed, tracer, tracing } from '../observability/tracing';
import type { RequestContext } from './context';
import { onErrorBody } from './error-bodies';

/**
 * The root span of a /graphql request, continuing the caller's trace when it sends a W3C
 * `traceparent`. It is the active span for everything the request starts (Apollo, the planner's
 * spans), listeners on the request and response streams included (a callback-style body parser
 * would otherwise run outside it). Method, route and status only: the URL of a GET carries the
 * query and its variables.
 */
export function requestSpanMiddleware(): RequestHandler {
  return (req, res, next) => {
    if (!tracing()) return next();
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(`${req.method} /graphql`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'http.route': '/graphql' },
    }, parent);
    const active = trace.setSpan(parent, span);
    onErrorBody(res, (errors) => recordErrors(span, errors));
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      span.end();
    });
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}

/** Adds the GraphQL side to the request span: the operation, and the errors by code and path. */
export function requestSpanPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const span = trace.getActiveSpan();
      span?.setAttribute('lakegate.request_id', contextValue.requestId);
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation) span?.setAttributes({ 'graphql.operation.type': operation.operation, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
        },
        async willSendResponse({ response }) {
          if (span && response.body.kind === 'single') recordErrors(span, response.body.singleResult.errors ?? []);
        },
      };
    },
  };
}

/** One event per error (code and path: field names and indexes, no values); the span fails with the first code. */
function recordErrors(span: Span, errors: readonly GraphQLFormattedError[]): void {
  for (const error of errors) {
    span.addEvent('graphql.error', { 'error.type': codeLabel(error.extensions?.['code']), ...(error.path ? { 'graphql.error.path': error.path.join('.') } : {}) });
  }
  const [first] = errors;
  if (first) markFailed(span, codeLabel(first.extensions?.['code']));
}
