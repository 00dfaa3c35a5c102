import type { Logger } from 'pino';

/**
 * Makes what Node itself would print in plain text a JSON log line: process warnings
 * (deprecations, MaxListenersExceededWarning, ...) — Node's own printer is a `warning` listener,
 * replaced here — and a crash (an uncaught exception, or an unhandled rejection), logged as fatal
 * before the process exits with code 1 as it would have. For the serving process only.
 */
export function logProcessOutput(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.name === 'DeprecationWarning' && process.noDeprecation) return;
    logger.warn({ warning: { name: warning.name, code: warning.code, message: warning.message } }, 'process warning');
  });
  process.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, 'uncaught exception: exiting');
    process.exit(1);
  });
}
