import { onAbort } from '../shared/abort';

/** Whether a caller got through the gate: with its release, or why not (waited `maxWaitMs`, or left). */
export type Passage =
  | { readonly admitted: true; readonly waitedMs: number; release(): void }
  | { readonly admitted: false; readonly reason: 'timeout' | 'aborted'; readonly waitedMs: number };

interface Waiter {
  admit(): void;
}

/**
 * At most `capacity` callers inside at once; the others wait in arrival order (FIFO), each for at
 * most `maxWaitMs`, then give up without ever getting in. A caller whose signal aborts leaves the
 * line at once. Release is idempotent, so a `finally` can always call it.
 */
export class FifoGate {
  private inside = 0;
  private readonly line: Waiter[] = [];

  constructor(private readonly capacity: number, private readonly maxWaitMs: number) {}

  /** Callers inside now and waiting now (for tests and metrics). */
  get load(): { readonly inside: number; readonly waiting: number } {
    return { inside: this.inside, waiting: this.line.length };
  }

  enter(signal?: AbortSignal): Promise<Passage> {
    const since = Date.now();
    if (signal?.aborted) return Promise.resolve({ admitted: false, reason: 'aborted', waitedMs: 0 });
    if (this.inside < this.capacity && this.line.length === 0) return Promise.resolve(this.admitted(since));
    if (this.maxWaitMs <= 0) return Promise.resolve({ admitted: false, reason: 'timeout', waitedMs: 0 });
    return new Promise((resolve) => {
      const leave = (reason: 'timeout' | 'aborted'): void => {
        this.remove(waiter);
        settle();
        resolve({ admitted: false, reason, waitedMs: Date.now() - since });
      };
      const timer = setTimeout(() => leave('timeout'), this.maxWaitMs);
      let forgetAbort = (): void => undefined;
      const settle = (): void => {
        clearTimeout(timer);
        forgetAbort();
      };
      const waiter: Waiter = {
        admit: () => {
          settle();
          resolve(this.admitted(since));
        },
      };
      if (signal) forgetAbort = onAbort(signal, () => leave('aborted'));
      this.line.push(waiter);
    });
  }

  private admitted(since: number): Passage {
    this.inside += 1;
    let released = false;
    return {
      admitted: true,
      waitedMs: Date.now() - since,
      release: () => {
        if (released) return;
        released = true;
        this.inside -= 1;
        this.admitNext();
      },
    };
  }

  private admitNext(): void {
    while (this.inside < this.capacity) {
      const next = this.line.shift();
      if (!next) return;
      next.admit();
    }
  }

  private remove(waiter: Waiter): void {
    const index = this.line.indexOf(waiter);
    if (index >= 0) this.line.splice(index, 1);
  }
}
