import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { refusal, type Refusal } from './refusal';

export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly refusal: Refusal };

/** Not JSON: left to the GraphQL transport, which answers it (CSRF protection, "invalid Content-Type"). */
const NOT_JSON: JsonBody = { ok: true, value: undefined };

const DECODERS: Readonly<Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress>> = {
  gzip: () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * The request's JSON body (an `application/json` one, UTF-8, at most 1 MB once decoded; gzip,
 * deflate and br are decoded), or the refusal a client gets for it: 400 for malformed JSON, 413
 * past the limit, 415 for another charset or encoding. Like express.json in strict mode, the
 * body must be an object or an array.
 */
export async function readJsonBody(req: IncomingMessage, limit = JSON_BODY_LIMIT_BYTES): Promise<JsonBody> {
  const type = mediaType(req.headers['content-type']);
  if (type.essence !== 'application/json') return NOT_JSON;
  if (type.charset && type.charset !== 'utf-8' && type.charset !== 'utf8') {
    return failed(refusal(415, 'BAD_REQUEST', `Unsupported charset "${type.charset}": send UTF-8`));
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const decoder = encoding === 'identity' ? null : DECODERS[encoding];
  if (decoder === undefined) return failed(refusal(415, 'BAD_REQUEST', `Unsupported content encoding "${encoding}"`));
  if (!decoder && Number(req.headers['content-length']) > limit) return failed(tooLarge(limit));
  const text = await readText(decoder ? req.pipe(decoder()) : req, limit);
  if (text === null) return failed(tooLarge(limit));
  if (text === undefined) return failed(refusal(400, 'BAD_REQUEST', 'The request body could not be read'));
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return failed(malformed());
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return failed(malformed());
  }
}

function mediaType(header: string | undefined): { essence: string; charset: string | null } {
  if (!header) return { essence: '', charset: null };
  const [essence = '', ...parameters] = header.split(';');
  const charset = parameters.map((parameter) => parameter.trim().toLowerCase()).find((parameter) => parameter.startsWith('charset='));
  return { essence: essence.trim().toLowerCase(), charset: charset ? charset.slice('charset='.length).replace(/"/g, '') : null };
}

/** The stream's text; null past the limit, undefined when the stream fails (a client gone, a corrupt encoding). */
function readText(stream: Readable, limit: number): Promise<string | null | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        // Read no further; the refusal closes the connection (see tooLarge).
        stream.removeAllListeners('data');
        stream.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    stream.once('error', () => resolve(undefined));
    stream.once('close', () => resolve(undefined));
  });
}

function tooLarge(limit: number): Refusal {
  // The rest of the body is not read: the connection cannot carry another request.
  return refusal(413, 'BAD_REQUEST', `Request body is too large (limit ${limit / (1024 * 1024)} MB)`, {}, { connection: 'close' });
}

function malformed(): Refusal {
  return refusal(400, 'BAD_REQUEST', 'Malformed JSON body');
}

function failed(answer: Refusal): JsonBody {
  return { ok: false, refusal: answer };
}
