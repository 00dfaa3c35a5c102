import { onAbort } from '../shared/abort';

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  /** Callers still waiting; a caller without a signal (a background refresh) never leaves. */
  waiters: number;
}

/** A caller's place in a flight: the shared outcome, and whether another caller started it. */
export interface Boarding<T> {
  readonly promise: Promise<T>;
  readonly joined: boolean;
}

/**
 * Identical concurrent work runs once on this replica: the first caller for a key starts it,
 * later callers join until it settles. The work gets a signal of its own, aborted only when every
 * waiting caller has left (its signal aborted), so one caller going away never cancels what
 * others wait for; a flight nobody waits for any more is dropped, and the next caller starts anew.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  inFlight(key: string): boolean {
    return this.flights.has(key);
  }

  board(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Boarding<T> {
    const existing = this.flights.get(key);
    const flight = existing ?? this.launch(key, start);
    this.enlist(key, flight, signal);
    return { promise: flight.promise, joined: existing !== undefined };
  }

  private launch(key: string, start: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    // Settles (rather than throws) when `start` throws before returning its promise.
    const promise = new Promise<T>((resolve) => resolve(start(controller.signal)));
    const flight: Flight<T> = { promise, controller, waiters: 0 };
    this.flights.set(key, flight);
    const land = (): void => this.drop(key, flight);
    promise.then(land, land);
    return flight;
  }

  private enlist(key: string, flight: Flight<T>, signal: AbortSignal | undefined): void {
    flight.waiters += signal ? 1 : Infinity;
    if (!signal) return;
    const leave = (): void => {
      flight.waiters -= 1;
      if (flight.waiters > 0) return;
      this.drop(key, flight);
      flight.controller.abort();
    };
    if (signal.aborted) return leave();
    // A request's signal is shared by all its queries: one listener on it, not one per flight joined.
    const forget = onAbort(signal, leave);
    flight.promise.then(forget, forget);
  }

  private drop(key: string, flight: Flight<T>): void {
    if (this.flights.get(key) === flight) this.flights.delete(key);
  }
}

/**
 * A caller's wait on shared work: its own abort rejects its own wait at once (with `cancelled()`)
 * and touches nothing else; otherwise the shared outcome, whatever it is.
 */
export function waitOn<T>(shared: Promise<T>, signal: AbortSignal | undefined, cancelled: () => Error): Promise<T> {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const forget = onAbort(signal, () => reject(cancelled()));
    shared.then(resolve, reject).finally(forget);
  });
}
