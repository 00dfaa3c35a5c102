import type { GetStatementResultCommand } from '@aws-sdk/client-redshift-data';

/**
 * Keeps `longValue`s beyond 2^53 exact. The Data API sends BIGINT values as JSON numbers, and the
 * SDK parses its responses with a plain `JSON.parse` (the Field union's `longValue` is a `Long`
 * shape, which the SDK reads as a JavaScript number), so `9007199254740993` would arrive as
 * `9007199254740992`. The middleware added here sits between the HTTP response and the SDK's
 * deserializer and quotes every integer `longValue` of 16 or more digits; the deserializer passes a
 * string in a numeric member through unchanged, and `results.ts` keeps it as text. A `"longValue":`
 * inside a JSON string cannot match: its quotes would be escaped (`\"`).
 *
 * Added to one command, never to the caller's client.
 */

const LONG_VALUE = /"longValue"\s*:\s*(-?\d{16,})(?=\s*[,}])/g;

export function quoteLongValues(json: string): string {
  return json.replace(LONG_VALUE, (_match, digits: string) => `"longValue":"${digits}"`);
}

export function keepLongValuesExact(command: GetStatementResultCommand): GetStatementResultCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response.statusCode === 200 && response.body !== undefined) {
        const text = Buffer.from(await collect(response.body)).toString('utf8');
        response.body = new Uint8Array(Buffer.from(quoteLongValues(text), 'utf8'));
      }
      return result;
    },
    // Low priority inside the deserialize step runs inside the SDK's deserializer: it sees the raw body first.
    { step: 'deserialize', priority: 'low', name: 'lakegateExactLongValues', override: true },
  );
  return command;
}

async function collect(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
