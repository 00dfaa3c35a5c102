/* global graphqlWs */

/** graphql-ws's close code for a token that is missing, refused or expired: not retried. */
const UNAUTHORIZED = 4401;

/**
 * The page's one graphql-ws connection, on the GraphQL path of this origin. The token is read at
 * every (re)connect; when the source renews it, the socket is dropped and graphql-ws reconnects
 * with the new one and resubscribes, before the server would close it at the old one's expiry.
 */
export function openLive(endpoint, tokens, onUnauthorized) {
  const url = new URL(endpoint, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = graphqlWs.createClient({
    url: url.href,
    lazy: true,
    connectionParams: async () => ({ Authorization: `Bearer ${await tokens.token()}` }),
  });
  tokens.onRenewed(() => client.terminate());
  return {
    /** Subscribes to one root field; `next` gets its value, `error` a message. Returns the unsubscribe function. */
    subscribe(query, field, handlers) {
      return client.subscribe({ query }, {
        next: (message) => {
          if (message.errors?.length) handlers.error(message.errors.map((error) => error.message).join('; '));
          else handlers.next(message.data[field]);
        },
        error: (error) => {
          if (error?.code === UNAUTHORIZED) onUnauthorized(error.reason);
          handlers.error(describeError(error));
        },
        complete: () => undefined,
      });
    },
  };
}

function describeError(error) {
  if (Array.isArray(error)) return error.map((item) => item.message).join('; ');
  if (typeof error?.code === 'number') return `connection closed (${error.code}${error.reason ? `: ${error.reason}` : ''})`;
  return error?.message ?? 'connection failed';
}
