import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { z } from 'zod';
import type { Row } from '../types';
import type { CachedAnswer, Serialized, SizedAnswer } from './types';

const compress = promisify(zlib.brotliCompress);
const decompress = promisify(zlib.brotliDecompress);

/** Brotli at a middle quality: most of the size win for a fraction of the top quality's CPU. */
const QUALITY = 5;

export function serialize(answer: CachedAnswer): Serialized {
  const json = JSON.stringify(answer);
  return { json, bytes: Buffer.byteLength(json) };
}

/** The value stored in the shared tier: the JSON, brotli-compressed (off the event loop). */
export function encode(serialized: Serialized): Promise<Buffer> {
  return compress(Buffer.from(serialized.json), {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: serialized.bytes },
  });
}

/** Rows are checked for shape only (an object per row): their values are the engine's, as stored. */
const storedAnswer = z.object({
  rows: z.array(z.custom<Row>((row) => typeof row === 'object' && row !== null && !Array.isArray(row))),
  stats: z.object({ queryId: z.string(), durationMs: z.number(), bytesScanned: z.number().nullable(), rows: z.number() }).passthrough(),
  storedAt: z.number(),
});

/** A stored value back as an answer with its size; undefined when it is not one of ours (read as a miss). */
export async function decode(value: Buffer): Promise<SizedAnswer | undefined> {
  try {
    const json = (await decompress(value)).toString();
    const parsed = storedAnswer.safeParse(JSON.parse(json));
    return parsed.success ? { answer: parsed.data, bytes: Buffer.byteLength(json) } : undefined;
  } catch {
    return undefined;
  }
}
