import type { ServerResponse } from 'node:http';
import type { OpenedExport } from '../../planner/export';
import type { ExportEncoder } from './formats';

/** How an export's writing ended: complete, failed after its head (the code), or cut short by the client. */
export type WrittenExport =
  | { readonly outcome: 'complete'; readonly rows: number }
  | { readonly outcome: 'failed'; readonly rows: number; readonly code: string; readonly message: string }
  | { readonly outcome: 'client-gone'; readonly rows: number };

export const ROWS_TRAILER = 'Lakegate-Export-Rows';

/**
 * Writes the export as the engine hands it on, one write per batch, waiting for 'drain' whenever
 * the socket's buffer is full, so memory stays bounded by one batch whatever the result's size.
 * The body is chunked: a complete export ends with the trailer `Lakegate-Export-Rows: N` (and
 * NDJSON with `{"@complete":{"rows":N}}`); one that fails after the head ends with NDJSON's
 * `@error` line and WITHOUT the terminating chunk (the connection is dropped), so every HTTP
 * client sees a truncated body. A client that leaves stops the engine query (the request's
 * signal aborts) and the iteration is broken off.
 */
export async function writeExport(res: ServerResponse, opened: OpenedExport, encoder: ExportEncoder, failure: (error: unknown) => { code: string; message: string }, settled: (written: WrittenExport) => void): Promise<WrittenExport> {
  const written = await writeRows(res, opened, encoder, failure);
  // Told before the response ends, so the request's log line has it.
  settled(written);
  if (written.outcome === 'complete') {
    res.write(encoder.complete(written.rows));
    res.addTrailers({ [ROWS_TRAILER]: String(written.rows) });
    res.end();
  } else if (written.outcome === 'failed') {
    // Everything written so far, the error line last, reaches the socket before it is dropped.
    await new Promise<void>((resolve) => {
      res.write(encoder.failed(written.code, written.message), () => resolve());
      res.once('close', resolve);
    });
    res.destroy();
  }
  return written;
}

async function writeRows(res: ServerResponse, opened: OpenedExport, encoder: ExportEncoder, failure: (error: unknown) => { code: string; message: string }): Promise<WrittenExport> {
  try {
    await write(res, encoder.head());
    for await (const batch of opened.batches) {
      if (res.destroyed) break;
      await write(res, encoder.batch(batch));
    }
  } catch (error) {
    if (res.destroyed) return { outcome: 'client-gone', rows: opened.rows() };
    return { outcome: 'failed', rows: opened.rows(), ...failure(error) };
  }
  return res.destroyed ? { outcome: 'client-gone', rows: opened.rows() } : { outcome: 'complete', rows: opened.rows() };
}

/** Writes `text`; when the socket's buffer is full, waits until it drains (or the client leaves). */
function write(res: ServerResponse, text: string): Promise<void> {
  if (text === '' || res.destroyed || res.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
