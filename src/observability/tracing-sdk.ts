import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { Logger } from 'pino';

export interface RunningTracing {
  /** Exports the spans still buffered, then stops the SDK. */
  shutdown(): Promise<void>;
}

/**
 * Whether the standard `OTEL_*` variables ask for traces: `OTEL_TRACES_EXPORTER` naming an
 * exporter (`otlp`, `console`, `zipkin`; `none` first means off), or, without it, an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: the SDK's default exporter
 * is OTLP). `OTEL_SDK_DISABLED=true` wins. Off by default.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '' && name !== 'null');
  if (exporters.length > 0) return exporters[0] !== 'none';
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/**
 * Starts the OpenTelemetry Node SDK for traces when `env` asks for them (null otherwise: no SDK
 * is loaded, our spans stay no-ops). The exporter, endpoint, protocol, headers, sampler and
 * resource come from the standard `OTEL_*` variables; metrics stay with Prometheus (`/metrics`) and
 * logs with pino, so the SDK exports neither. Its own diagnostics (an unreachable collector, say)
 * go to the JSON log at `OTEL_LOG_LEVEL` (default warn).
 */
export async function startTracing(env: NodeJS.ProcessEnv, logger: Logger): Promise<RunningTracing | null> {
  if (!tracingRequested(env)) return null;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const named = Boolean(env['OTEL_SERVICE_NAME']) || /(^|,)\s*service\.name\s*=/.test(env['OTEL_RESOURCE_ATTRIBUTES'] ?? '');
  const sdk = new NodeSDK({ metricReaders: [], logRecordProcessors: [], ...(named ? {} : { serviceName: 'lakegate' }) });
  // After the SDK's constructor, which installs a plain-text console logger when OTEL_LOG_LEVEL is set.
  diag.setLogger(diagLogger(logger.child({ component: 'opentelemetry' })), { logLevel: diagLevel(env['OTEL_LOG_LEVEL']), suppressOverrideMessage: true });
  sdk.start();
  logger.info({ exporter: env['OTEL_TRACES_EXPORTER'] || 'otlp' }, 'tracing: OpenTelemetry SDK started');
  return { shutdown: () => sdk.shutdown() };
}

function diagLevel(name: string | undefined): DiagLogLevel {
  const level: unknown = DiagLogLevel[(name ?? '').trim().toUpperCase() as keyof typeof DiagLogLevel];
  return typeof level === 'number' ? level : DiagLogLevel.WARN;
}

function diagLogger(logger: Logger): DiagLogger {
  const details = (args: unknown[]): { details?: string[] } => (args.length === 0 ? {} : { details: args.map((arg) => (arg instanceof Error ? arg.message : String(arg))) });
  return {
    error: (message, ...args) => logger.error(details(args), message),
    warn: (message, ...args) => logger.warn(details(args), message),
    info: (message, ...args) => logger.info(details(args), message),
    debug: (message, ...args) => logger.debug(details(args), message),
    verbose: (message, ...args) => logger.trace(details(args), message),
  };
}
