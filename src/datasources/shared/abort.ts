/**
 * One `abort` listener per signal, however many queries wait on it. A request's signal, an
 * engine's shutdown signal and the KPI refresher's stop signal are each shared by every query
 * running under them; a listener per query would pile up on one EventTarget while they run (Node
 * warns past ten: MaxListenersExceededWarning). Here the signal carries a single dispatcher that
 * calls the callbacks registered now, and it is removed with the last of them.
 */
interface Dispatch {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const dispatches = new WeakMap<AbortSignal, Dispatch>();

/**
 * Calls `callback` once when `signal` aborts (never when it has aborted already, as with
 * `addEventListener`); the returned function unregisters it. Callers unregister when their
 * query ends, so nothing outlives the query.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  const dispatch = dispatches.get(signal) ?? attach(signal);
  const registered = (): void => callback();
  dispatch.callbacks.add(registered);
  return () => {
    if (!dispatch.callbacks.delete(registered) || dispatch.callbacks.size > 0) return;
    signal.removeEventListener('abort', dispatch.listener);
    if (dispatches.get(signal) === dispatch) dispatches.delete(signal);
  };
}

function attach(signal: AbortSignal): Dispatch {
  const callbacks = new Set<() => void>();
  const dispatch: Dispatch = {
    callbacks,
    listener: () => {
      dispatches.delete(signal);
      for (const callback of callbacks) callback();
      callbacks.clear();
    },
  };
  signal.addEventListener('abort', dispatch.listener, { once: true });
  dispatches.set(signal, dispatch);
  return dispatch;
}
