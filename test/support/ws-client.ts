import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** One subscription's messages as they arrive, and how it ended (an error, a close code, completion). */
export interface Subscriber {
  readonly messages: { data?: Record<string, unknown> | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[];
  ended: { kind: 'complete' } | { kind: 'closed'; code: number; reason: string } | { kind: 'error'; error: unknown } | null;
  /** Waits until `check` holds (polling every 20 ms), failing after `timeoutMs`. */
  until(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): void;
}

/** A graphql-ws client for `url` (the app's `ws://…/graphql`), its token in `connection_init`'s payload. */
export function wsClient(url: string, token: string | null): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token === null ? {} : { Authorization: `Bearer ${token}` },
  });
}

export function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}): Subscriber {
  const subscriber: Subscriber = {
    messages: [],
    ended: null,
    until: async (what, check, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${subscriber.messages.length} messages, ended: ${JSON.stringify(subscriber.ended)})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () => undefined,
  };
  subscriber.stop = client.subscribe({ query, variables }, {
    next: (message) => void subscriber.messages.push(message as Subscriber['messages'][number]),
    error: (error) => {
      const close = error as { code?: number; reason?: string };
      subscriber.ended = typeof close.code === 'number' ? { kind: 'closed', code: close.code, reason: close.reason ?? '' } : { kind: 'error', error };
    },
    complete: () => {
      subscriber.ended ??= { kind: 'complete' };
    },
  });
  return subscriber;
}
