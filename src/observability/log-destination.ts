import pino from 'pino';

/** Bytes of log lines gathered before they are written out. */
const BUFFER_BYTES = 4_096;
/** The longest a line waits in the buffer. */
const FLUSH_EVERY_MS = 100;

/**
 * Standard output for the server's JSON log, written a few kilobytes at a time: a busy server
 * writes three lines a request (access, audit, GraphQL), and a system call per line costs more
 * than the line. A line waits at most 100 ms, and whatever is buffered is written synchronously
 * when the process exits (a crash included: it exits through `process.exit`).
 */
export function bufferedStdout(): pino.DestinationStream {
  const destination = pino.destination({ dest: 1, sync: true, minLength: BUFFER_BYTES });
  setInterval(() => destination.flushSync(), FLUSH_EVERY_MS).unref();
  process.on('exit', () => destination.flushSync());
  return destination;
}
