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
  /** Set up with its signal (see dispatchedAbort): no event listener to remove, kept until the abort. */
  readonly builtIn: boolean;
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
    if (!dispatch.callbacks.delete(registered) || dispatch.callbacks.size > 0 || dispatch.builtIn) return;
    signal.removeEventListener('abort', dispatch.listener);
    if (dispatches.get(signal) === dispatch) dispatches.delete(signal);
  };
}

function attach(signal: AbortSignal): Dispatch {
  const dispatch = dispatchFor(signal, false);
  signal.addEventListener('abort', dispatch.listener, { once: true });
  return dispatch;
}

function dispatchFor(signal: AbortSignal, builtIn: boolean): Dispatch {
  const callbacks = new Set<() => void>();
  const dispatch: Dispatch = {
    callbacks,
    builtIn,
    listener: () => {
      dispatches.delete(signal);
      for (const callback of callbacks) callback();
      callbacks.clear();
    },
  };
  dispatches.set(signal, dispatch);
  return dispatch;
}

/** An abort controller whose signal's `onAbort` callbacks are called by `abort` itself. */
export interface DispatchedAbort {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

/**
 * A new signal with its dispatcher in place from the start, for a signal made per request: the
 * request's queries register on it through `onAbort` without adding and removing an event
 * listener each time (EventTarget listeners are not cheap), and `abort` calls them. Listeners
 * added to the signal directly are called as usual.
 */
export function dispatchedAbort(): DispatchedAbort {
  const controller = new AbortController();
  const dispatch = dispatchFor(controller.signal, true);
  return {
    signal: controller.signal,
    abort: (reason) => {
      if (controller.signal.aborted) return;
      controller.abort(reason);
      dispatch.listener();
    },
  };
}
