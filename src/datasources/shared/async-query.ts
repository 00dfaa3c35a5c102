import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import type { DetachableOptions, Detached, ExecuteOptions, QueryProbe, QueryStats } from '../types';
import { isAbortError } from './errors';
import { bindParameters, EngineLifecycle } from './lifecycle';
import { CallRateLimiter, pollDelay, sleep, type PollOptions } from './poll';
import { QueryStop, type StopReason } from './stop';

/**
 * The lifecycle of a query on an engine that runs it asynchronously behind an HTTP API (Athena,
 * the Redshift Data API): submit with an idempotency token → poll the status with backoff until a
 * terminal state → fetch the result pages. Throttled calls are retried (a throttled poll is a
 * missed poll); a caller's abort, the deadline or the engine's shutdown stops the engine query
 * (best effort) and rejects with QUERY_CANCELLED / QUERY_TIMEOUT / ENGINE_UNAVAILABLE. An adapter
 * supplies the API calls (`AsyncQueryProtocol`) and its wording (`AsyncQueryMessages`).
 *
 * The detachable entries (`executeDetachable`, `resume`) run the same lifecycle with a detach time:
 * a query still running then is left running and reported `Detached` (its id), for a later
 * `resume` — which skips the submit and polls that id — or `stopQuery`.
 */

export type AsyncQueryLogger = Pick<Logger, 'debug' | 'info' | 'warn'>;

/** The counters every polling adapter reports beside the shared QueryStats. */
export interface PolledQueryStats extends QueryStats {
  /** Status calls made for this query (throttled ones included). */
  readonly polls: number;
  /** Result pages read. */
  readonly pages: number;
  /** Calls the engine throttled and the adapter retried (beyond the SDK's own retries). */
  readonly throttled: number;
}

export interface AsyncQueryProtocol<Input, Status> {
  /** The submit request, with the run's idempotency token; throwing fails the query (cannot bind). */
  prepare(query: CompiledQuery, token: string): Input;
  /** Submits the query; resolves to the engine's id for it, if it gave one. */
  submit(input: Input): Promise<string | undefined>;
  /** One status call. */
  describe(queryId: string, signal: AbortSignal): Promise<Status>;
  stateOf(status: Status): string | undefined;
  /** Judges one query's statuses: true when it succeeded, false to poll on; throws an EngineError when it failed. */
  watch(queryId: string): (status: Status) => boolean;
  /** Stops the query on the engine. */
  cancel(queryId: string, signal: AbortSignal): Promise<unknown>;
  isThrottling(error: unknown): boolean;
  toEngineError(error: unknown, queryId: string | null): EngineError;
}

/** Log and error texts, in the engine's own words. */
export interface AsyncQueryMessages {
  readonly noId: string;
  readonly submitted: string;
  readonly pollThrottled: string;
  readonly callThrottled: string;
  readonly stopped: string;
  readonly stopFailed: string;
}

export interface AsyncQuerySettings<Input, Status> {
  /** The engine's name, as errors carry it. */
  readonly engine: string;
  /** How messages name the engine (`Athena`, `Redshift`). */
  readonly label: string;
  /** States after which the engine does no more work. */
  readonly terminalStates: ReadonlySet<string>;
  readonly protocol: AsyncQueryProtocol<Input, Status>;
  readonly messages: AsyncQueryMessages;
  readonly logger: AsyncQueryLogger;
  readonly poll: PollOptions;
  readonly throttleRetries: number;
  readonly stopTimeoutMs: number;
}

const POLLING_FAILED: StopReason = { code: 'ENGINE_UNAVAILABLE', message: 'polling failed' };
const STOP_REQUESTED: StopReason = { code: 'QUERY_CANCELLED', message: 'stop requested' };

/** How a run begins: submit a query, or pick up one the engine already runs. */
type RunStart = { readonly query: CompiledQuery } | { readonly queryId: string };
/** Turns a run into the caller's answer when it stops waiting (detach time reached). */
type OnDetach<R> = (run: PolledRun) => R;
type Complete<R, Status> = (run: PolledRun, status: Status) => Promise<R>;

/** What `waitForCompletion` answers when the detach time came first. */
const DETACH = Symbol('detach');

const detached = (run: PolledRun): Detached => ({ running: true, queryId: run.queryId! });

/** One execute call: its idempotency token, its counters, and why it must stop (if it must). */
export class PolledRun extends QueryStop {
  readonly token = randomUUID();
  readonly started = performance.now();
  queryId: string | null = null;
  lastState: string | undefined;
  polls = 0;
  pages = 0;
  throttled = 0;

  constructor(options: ExecuteOptions, shutdown: AbortSignal, label: string, private readonly terminalStates: ReadonlySet<string>) {
    super(options, shutdown, label);
  }

  /** True while the engine may still be running the query (submitted, no terminal state seen). */
  get mayBeRunning(): boolean {
    return this.queryId !== null && !this.terminalStates.has(this.lastState ?? '');
  }
}

/** The shared stats of a finished run. */
export function polledStats(run: PolledRun, rows: number, bytesScanned: number | null): PolledQueryStats {
  return { queryId: run.queryId!, durationMs: performance.now() - run.started, bytesScanned, rows, polls: run.polls, pages: run.pages, throttled: run.throttled };
}

export class AsyncQueryRunner<Input, Status> {
  private readonly lifecycle: EngineLifecycle;
  private readonly limiter: CallRateLimiter;

  constructor(private readonly settings: AsyncQuerySettings<Input, Status>) {
    this.lifecycle = new EngineLifecycle(settings.engine, settings.label);
    this.limiter = new CallRateLimiter(settings.poll.maxCallsPerSecond);
  }

  get closed(): boolean {
    return this.lifecycle.closed;
  }

  /** Runs `query` to a terminal state; `complete` turns the final status into the result (fetching pages). */
  execute<R>(query: CompiledQuery, options: ExecuteOptions, complete: Complete<R, Status>): Promise<R> {
    return this.lifecycle.track(this.run({ query }, options, complete));
  }

  /** As `execute`, but a query still running at `options.detachAt` is left running and resolves `Detached`. */
  executeDetachable<R>(query: CompiledQuery, options: DetachableOptions, complete: Complete<R, Status>): Promise<R | Detached> {
    return this.lifecycle.track(this.run<R | Detached>({ query }, options, complete, detached));
  }

  /** Waits for a query the engine already runs (no submit); same outcomes as `executeDetachable`. */
  resume<R>(queryId: string, options: DetachableOptions, complete: Complete<R, Status>): Promise<R | Detached> {
    return this.lifecycle.track(this.run<R | Detached>({ queryId }, options, complete, detached));
  }

  /**
   * Reads more of the result of a query that already succeeded (a later page of it): no submit, no
   * polling. Abort, deadline and shutdown stop the read, not the (finished) engine query.
   */
  readResult<R>(queryId: string, options: ExecuteOptions, read: (run: PolledRun) => Promise<R>): Promise<R> {
    return this.lifecycle.track(this.readFinished(queryId, options, read));
  }

  private async readFinished<R>(queryId: string, options: ExecuteOptions, read: (run: PolledRun) => Promise<R>): Promise<R> {
    const { engine, label, protocol, terminalStates } = this.settings;
    if (typeof queryId !== 'string' || queryId === '') throw new EngineError('QUERY_FAILED', `no ${label} query id to read`, engine);
    this.lifecycle.admit(options);
    const run = new PolledRun(options, this.lifecycle.shutdownSignal, label, terminalStates);
    run.queryId = queryId;
    try {
      return await read(run);
    } catch (error) {
      throw run.stopReason ? new EngineError(run.stopReason.code, run.stopReason.message, engine, queryId) : protocol.toEngineError(error, queryId);
    } finally {
      run.dispose();
    }
  }

  /**
   * One status call (throttle-retried) judged as a wait would judge it: a state that is not
   * terminal, or a failure the engine may still retry itself, is `running`.
   */
  async probe(queryId: string): Promise<QueryProbe> {
    const { engine, label, protocol, stopTimeoutMs } = this.settings;
    if (typeof queryId !== 'string' || queryId === '') throw new EngineError('QUERY_FAILED', `no ${label} query id to look at`, engine);
    this.lifecycle.admit({});
    const run = new PolledRun({ deadline: Date.now() + stopTimeoutMs }, this.lifecycle.shutdownSignal, label, this.settings.terminalStates);
    run.queryId = queryId;
    try {
      await sleep(this.limiter.reserve(), run.signal);
      run.polls += 1;
      const status = await this.withThrottleRetry(run, () => protocol.describe(queryId, run.signal));
      try {
        return protocol.watch(queryId)(status) ? { state: 'succeeded' } : { state: 'running' };
      } catch (error) {
        if (error instanceof EngineError) return { state: 'failed', error };
        throw error;
      }
    } catch (error) {
      throw run.stopReason ? new EngineError(run.stopReason.code, run.stopReason.message, engine, queryId) : protocol.toEngineError(error, queryId);
    } finally {
      run.dispose();
    }
  }

  /** Stops the engine query `queryId`: best effort (a failure is logged, not thrown), idempotent. */
  async stopQuery(queryId: string): Promise<void> {
    if (typeof queryId !== 'string' || queryId === '') throw new EngineError('QUERY_FAILED', `no ${this.settings.label} query id to stop`, this.settings.engine);
    await this.stop(queryId, STOP_REQUESTED);
  }

  /** Stops the running queries and waits for them; false when closed already. */
  close(): Promise<boolean> {
    return this.lifecycle.close();
  }

  /**
   * One run: submit (or take the given id), poll, complete. With `onDetach`, polling ends at
   * `options.detachAt` if no terminal state came by then, and the run answers `onDetach(run)`
   * without stopping the query; without it (execute) only a terminal state or a stop ends it.
   */
  private async run<R>(start: RunStart, options: ExecuteOptions & Partial<DetachableOptions>, complete: Complete<R, Status>, onDetach?: OnDetach<R>): Promise<R> {
    const { engine, label, terminalStates, protocol } = this.settings;
    const detachAt = onDetach ? options.detachAt : undefined;
    if (onDetach && (typeof detachAt !== 'number' || Number.isNaN(detachAt))) throw new RangeError(`detachAt must be a time in epoch ms, got ${String(detachAt)}`);
    if ('queryId' in start && (typeof start.queryId !== 'string' || start.queryId === '')) throw new EngineError('QUERY_FAILED', `no ${label} query id to resume`, engine);
    this.lifecycle.admit(options);
    const run = new PolledRun(options, this.lifecycle.shutdownSignal, label, terminalStates);
    try {
      if ('query' in start) {
        const input = bindParameters(engine, () => protocol.prepare(start.query, run.token));
        run.queryId = await this.submit(input, run);
      } else {
        run.queryId = start.queryId;
      }
      if (run.stopReason) throw run.stopReason;
      const status = await this.waitForCompletion(run, detachAt);
      if (status === DETACH) return onDetach!(run);
      return await complete(run, status);
    } catch (error) {
      throw await this.failure(run, error, onDetach !== undefined && options.keepRunningOnAbort === true);
    } finally {
      run.dispose();
    }
  }

  /**
   * The error the caller sees; a query the engine may still run is stopped first, not left running
   * (and billing) — unless the caller only stopped waiting for a query it asked to keep running.
   */
  private async failure(run: PolledRun, error: unknown, keepRunningOnAbort: boolean): Promise<EngineError> {
    const reason = run.stopReason;
    if (reason) {
      const leave = keepRunningOnAbort && reason.code === 'QUERY_CANCELLED';
      if (run.mayBeRunning && !leave) await this.stop(run.queryId!, reason);
      return new EngineError(reason.code, reason.message, this.settings.engine, run.queryId);
    }
    // Giving up on a query the engine may still run (e.g. polls failing): stop it.
    if (run.mayBeRunning && !(error instanceof EngineError)) await this.stop(run.queryId!, POLLING_FAILED);
    return this.settings.protocol.toEngineError(error, run.queryId);
  }

  /**
   * Submits with the run's token, so every retry (the SDK's or ours) lands on the same query. The
   * call in flight is not aborted by the caller (we could not learn the id of a query it may have
   * started); an abort meanwhile stops the query as soon as the id is known.
   */
  private async submit(input: Input, run: PolledRun): Promise<string> {
    const { engine, protocol, messages, logger } = this.settings;
    const queryId = await this.withThrottleRetry(run, () => protocol.submit(input));
    if (!queryId) throw new EngineError('QUERY_FAILED', messages.noId, engine);
    logger.debug({ engine, queryId, token: run.token }, messages.submitted);
    return queryId;
  }

  /**
   * Polls until a terminal state; only the protocol's judge says success. With `detachAt`, no wait
   * runs past it, and a poll at or after it that saw no terminal state (or was throttled) ends
   * the wait with DETACH: the query is left as it is.
   */
  private async waitForCompletion(run: PolledRun, detachAt?: number): Promise<Status | typeof DETACH> {
    const queryId = run.queryId!;
    const succeeded = this.settings.protocol.watch(queryId);
    const detachDue = (): boolean => detachAt !== undefined && Date.now() >= detachAt;
    let throttledInARow = 0;
    for (let attempt = 0; ; attempt += 1) {
      const delay = pollDelay(attempt, this.settings.poll);
      await sleep(detachAt === undefined ? delay : Math.min(delay, Math.max(0, detachAt - Date.now())), run.signal);
      await sleep(this.limiter.reserve(), run.signal);
      run.polls += 1;
      let status: Status;
      try {
        status = await this.settings.protocol.describe(queryId, run.signal);
        throttledInARow = 0;
      } catch (error) {
        if (!this.missedPoll(run, error, throttledInARow)) throw error;
        throttledInARow += 1;
        if (detachDue()) return DETACH;
        continue;
      }
      run.lastState = this.settings.protocol.stateOf(status);
      if (succeeded(status)) return status;
      if (detachDue()) return DETACH;
    }
  }

  /** A throttled poll is a missed poll: keep going on the (growing) schedule, a few times in a row. */
  private missedPoll(run: PolledRun, error: unknown, throttledInARow: number): boolean {
    const { engine, protocol, messages, logger, throttleRetries } = this.settings;
    if (!protocol.isThrottling(error) || throttledInARow >= throttleRetries || run.stopReason) return false;
    run.throttled += 1;
    logger.warn({ engine, queryId: run.queryId }, messages.pollThrottled);
    return true;
  }

  /** Retries a call the engine throttles after the SDK gave up, with the poll backoff; abortable between tries. */
  async withThrottleRetry<T>(run: PolledRun, call: () => Promise<T>): Promise<T> {
    const { engine, protocol, messages, logger, throttleRetries, poll } = this.settings;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (!protocol.isThrottling(error) || attempt >= throttleRetries || run.stopReason) throw error;
        run.throttled += 1;
        logger.warn({ engine, queryId: run.queryId, attempt: attempt + 1 }, messages.callThrottled);
        await sleep(pollDelay(attempt + 1, poll), run.signal);
      }
    }
  }

  /** Reads result pages until no NextToken comes back; each fetch is throttle-retried and counted. */
  async readPages<P extends { NextToken?: string | undefined }>(run: PolledRun, fetch: (nextToken: string | undefined) => Promise<P>, onPage: (page: P, index: number) => void): Promise<void> {
    let nextToken: string | undefined;
    let index = 0;
    do {
      const token = nextToken;
      const page = await this.withThrottleRetry(run, () => fetch(token));
      run.pages += 1;
      onPage(page, index);
      index += 1;
      nextToken = page.NextToken;
    } while (nextToken);
  }

  /** Best effort: a failed stop is logged, never thrown over the error the caller should see. */
  private async stop(queryId: string, reason: StopReason): Promise<void> {
    const { engine, protocol, messages, logger, stopTimeoutMs } = this.settings;
    try {
      await protocol.cancel(queryId, AbortSignal.timeout(stopTimeoutMs));
      logger.info({ engine, queryId, reason: reason.code }, messages.stopped);
    } catch (error) {
      // The query may have finished meanwhile (an engine may refuse to stop a finished one).
      logger.warn({ engine, queryId, reason: reason.code, err: isAbortError(error) ? 'timed out' : (error as Error).message }, messages.stopFailed);
    }
  }
}
