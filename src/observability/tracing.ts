import { ProxyTracerProvider, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { errorCode } from './labels';

/**
 * Our spans, through `@opentelemetry/api` only: without a registered SDK (the CLI starts one when
 * `OTEL_*` asks for it; a test installs its own provider) every call is a no-op. Spans carry
 * names, ids, counts and error codes — never a value, a message (it may quote one) or a token.
 */
export function tracer(): Tracer {
  return trace.getTracer('lakegate');
}

/**
 * Whether an SDK is registered. Without one, spans would be no-ops that still cost their
 * allocations and context switches on every request and engine query: skipped instead.
 */
export function tracing(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer('lakegate') !== undefined;
}

/** Marks `span` failed with `code` alone (`error.type`, and the status). */
export function markFailed(span: Span, code: string): void {
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

/**
 * Runs `work` in a span of its own, active for everything `work` starts (so its spans are
 * children), ended when it settles: `describe` adds attributes from the result, a failure is
 * recorded by its code and rethrown.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>, describe?: (result: T) => Attributes): Promise<T> {
  if (!tracing()) return work();
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      const result = await work();
      if (describe) span.setAttributes(describe(result));
      return result;
    } catch (error) {
      markFailed(span, errorCode(error));
      throw error;
    } finally {
      span.end();
    }
  });
}
