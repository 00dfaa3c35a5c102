import type { RefreshLock } from '../kpis/refresh';

/** How evaluations reach every replica: Redis pub/sub when shared, an in-process emitter otherwise. */
export interface LiveBus {
  publish(channel: string, message: string): Promise<void>;
  /** Listens on `channel`; resolves with the function that stops listening. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
  close(): void;
}

/** The last value published for a key, so the next evaluation (on any replica) knows what changed. */
export interface LiveStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/** What a key evaluates to, and how often. */
export interface LiveSource<T> {
  /** Identifies the evaluation: the KPI, its arguments and the view it is computed on. */
  readonly key: string;
  readonly intervalMs: number;
  evaluate(): Promise<T>;
}

/** One evaluation that changed the value, as every replica receives it. */
export interface Publication<T> {
  readonly value: T;
  /** The value published before (null: the first one). */
  readonly previous: T | null;
}

export type Watcher<T> = (publication: Publication<T>) => void;

interface Watched {
  readonly source: LiveSource<unknown>;
  readonly watchers: Set<Watcher<unknown>>;
  readonly timer: NodeJS.Timeout;
  readonly stopListening: Promise<() => Promise<void>>;
}

export interface LiveHubOptions {
  readonly bus: LiveBus;
  readonly store: LiveStore;
  /** One replica evaluates a key per interval. */
  readonly lock: RefreshLock;
  readonly logger: { warn(fields: Record<string, unknown>, message: string): void };
  /** Called with the key and both values when an evaluation on this replica changed them (webhooks). */
  readonly onChange?: (key: string, publication: Publication<unknown>) => void;
}

/**
 * Live values shared by every watcher of a key, on every replica: while a key has watchers here,
 * this replica tries once per interval to take the key's lock; the replica that takes it evaluates
 * (through the result cache) and, when the value changed, publishes it with the previous one on
 * the bus, and every replica hands it to its watchers. However many watchers, one evaluation per
 * key per interval.
 */
export class LiveHub {
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly options: LiveHubOptions) {}

  /** Starts handing `watcher` the key's publications; returns the function that stops it. */
  watch<T>(source: LiveSource<T>, watcher: Watcher<T>): () => void {
    const entry = this.watched.get(source.key) ?? this.start(source as LiveSource<unknown>);
    entry.watchers.add(watcher as Watcher<unknown>);
    return () => {
      entry.watchers.delete(watcher as Watcher<unknown>);
      if (entry.watchers.size === 0) this.end(source.key, entry);
    };
  }

  /** Keys with watchers on this replica. */
  get size(): number {
    return this.watched.size;
  }

  close(): void {
    for (const [key, entry] of this.watched) this.end(key, entry);
  }

  private start(source: LiveSource<unknown>): Watched {
    const watchers = new Set<Watcher<unknown>>();
    const stopListening = this.options.bus.subscribe(channelOf(source.key), (message) => {
      const publication = JSON.parse(message) as Publication<unknown>;
      for (const watcher of watchers) watcher(publication);
    });
    const timer = setInterval(() => void this.tick(source), source.intervalMs);
    timer.unref();
    const entry = { source, watchers, timer, stopListening };
    this.watched.set(source.key, entry);
    return entry;
  }

  private end(key: string, entry: Watched): void {
    clearInterval(entry.timer);
    this.watched.delete(key);
    void entry.stopListening.then((stop) => stop()).catch(() => undefined);
  }

  private async tick(source: LiveSource<unknown>): Promise<void> {
    const slot = Math.floor(Date.now() / source.intervalMs);
    if (!(await this.options.lock.acquire(`live:${source.key}:${slot}`, source.intervalMs))) return;
    try {
      const value = await source.evaluate();
      const text = JSON.stringify(value);
      const last = await this.options.store.get(source.key);
      if (last === text) return;
      await this.options.store.set(source.key, text, source.intervalMs * 10);
      const publication: Publication<unknown> = { value, previous: last === null ? null : JSON.parse(last) };
      await this.options.bus.publish(channelOf(source.key), JSON.stringify(publication));
      this.options.onChange?.(source.key, publication);
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'live evaluation failed; the next interval tries again');
    }
  }
}

function channelOf(key: string): string {
  return `live:${key}`;
}
