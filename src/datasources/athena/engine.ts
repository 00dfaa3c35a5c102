import { randomUUID } from 'node:crypto';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
  type QueryExecutionStatus,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import type { Logger } from 'pino';
import { athenaExecutionParameter } from '../../sql/literals';
import type { CompiledQuery } from '../../sql/types';
import { EngineError, type EngineErrorCode } from '../errors';
import type { Engine, ExecuteOptions, QueryResult, QueryStats, Row } from '../types';
import { ENGINE_NAME, isAbortError, isThrottling, toEngineError } from './errors';
import { CallRateLimiter, pollDelay, pollOptions, sleep, type PollOptions } from './poll';
import { isHeaderRow, rowParser } from './results';

export type AthenaLogger = Pick<Logger, 'debug' | 'info' | 'warn'>;

export interface AthenaEngineOptions {
  readonly client: AthenaClient;
  readonly workGroup: string;
  /** Data catalog, e.g. `AwsDataCatalog`. */
  readonly catalog: string;
  /** Database unqualified table names resolve in (the compiler qualifies them anyway). */
  readonly database: string;
  /** S3 result location; leave unset when the workgroup enforces its own. */
  readonly outputLocation?: string;
  /** Let Athena answer from a previous identical query's results up to this old (1–10080). */
  readonly resultReuseMinutes?: number;
  readonly poll?: Partial<PollOptions>;
  readonly logger: AthenaLogger;
  /** GetQueryResults `MaxResults` (1–1000; default 1000). The first page carries the header row too. */
  readonly pageSize?: number;
  /**
   * Extra tries of a throttled call after the SDK's own retries gave up (default 4), with the poll
   * backoff between them. Every call is idempotent (ClientRequestToken, NextToken), so this is safe.
   */
  readonly throttleRetries?: number;
  /** How long a StopQueryExecution may take before we give up on it (default 5000 ms). */
  readonly stopTimeoutMs?: number;
}

/** Stats with what only Athena reports; a subtype of the shared QueryStats. */
export interface AthenaQueryStats extends QueryStats {
  /** GetQueryExecution calls made for this query (throttled ones included). */
  readonly polls: number;
  /** GetQueryResults pages read. */
  readonly pages: number;
  /** Calls Athena throttled and the adapter retried (beyond the SDK's own retries). */
  readonly throttled: number;
  readonly engineExecutionMs: number | null;
  readonly queueMs: number | null;
  /** True when Athena answered from a reused previous result (no data scanned). */
  readonly reusedResult: boolean;
}

export interface AthenaQueryResult extends QueryResult {
  readonly stats: AthenaQueryStats;
}

export interface AthenaEngine extends Engine {
  execute(query: CompiledQuery, options?: ExecuteOptions): Promise<AthenaQueryResult>;
}

/**
 * The Athena adapter: StartQueryExecution with the compiled SQL and its parameters as Trino
 * literals, GetQueryExecution polling with backoff until a terminal state, GetQueryResults paging
 * into typed rows. A caller's abort or deadline stops the engine query (StopQueryExecution) so it
 * does not keep scanning (and billing) after nobody waits for it.
 */
export function createAthenaEngine(options: AthenaEngineOptions): AthenaEngine {
  return new AthenaAdapter(options);
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
/** Athena's error catalog: 206 and 210 are "query timed out". */
const TIMEOUT_ERROR_TYPES = new Set([206, 210]);
/** ErrorCategory 2 is USER (bad SQL, missing table): Athena does not retry those itself. */
const USER_ERROR_CATEGORY = 2;

interface StopReason {
  readonly code: Extract<EngineErrorCode, 'QUERY_CANCELLED' | 'QUERY_TIMEOUT' | 'ENGINE_UNAVAILABLE'>;
  readonly message: string;
}

/** One execute call: its token, its abort wiring and its counters. */
class Run {
  readonly token = randomUUID();
  readonly started = performance.now();
  queryId: string | null = null;
  lastState: string | undefined;
  polls = 0;
  pages = 0;
  throttled = 0;
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  private reason: StopReason | null = null;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly detach: () => void;

  constructor(options: ExecuteOptions, shutdown: AbortSignal) {
    const onAbort = (): void => this.trip({ code: 'QUERY_CANCELLED', message: 'the query was cancelled' });
    const onShutdown = (): void => this.trip({ code: 'ENGINE_UNAVAILABLE', message: 'the Athena engine is shutting down' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    shutdown.addEventListener('abort', onShutdown, { once: true });
    const left = options.deadline === undefined ? undefined : options.deadline - Date.now();
    this.timer = left === undefined || left > 2 ** 31 - 1
      ? undefined
      : setTimeout(() => this.trip({ code: 'QUERY_TIMEOUT', message: 'the query exceeded its time limit' }), Math.max(0, left));
    this.detach = () => {
      options.signal?.removeEventListener('abort', onAbort);
      shutdown.removeEventListener('abort', onShutdown);
    };
  }

  get stopReason(): StopReason | null {
    return this.reason;
  }

  /** True while Athena may still be running the query (started, no terminal state seen). */
  get mayBeRunning(): boolean {
    return this.queryId !== null && !TERMINAL.has(this.lastState ?? '');
  }

  private trip(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.detach();
  }
}

class AthenaAdapter implements AthenaEngine {
  readonly name = ENGINE_NAME;
  readonly dialect = 'athena';
  readonly capabilities = { cancellable: true, reportsBytesScanned: true };

  private readonly client: AthenaClient;
  private readonly logger: AthenaLogger;
  private readonly poll: PollOptions;
  private readonly limiter: CallRateLimiter;
  private readonly pageSize: number;
  private readonly throttleRetries: number;
  private readonly stopTimeoutMs: number;
  private readonly shutdown = new AbortController();
  private readonly active = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly options: AthenaEngineOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.poll = pollOptions(options.poll);
    this.limiter = new CallRateLimiter(this.poll.maxCallsPerSecond);
    this.pageSize = options.pageSize ?? 1_000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 2 || this.pageSize > 1_000) throw new RangeError(`pageSize must be an integer from 2 to 1000, got ${options.pageSize}`);
    this.throttleRetries = options.throttleRetries ?? 4;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
    const reuse = options.resultReuseMinutes;
    if (reuse !== undefined && (!Number.isInteger(reuse) || reuse < 1 || reuse > 10_080)) throw new RangeError(`resultReuseMinutes must be an integer from 1 to 10080, got ${reuse}`);
  }

  execute(query: CompiledQuery, options: ExecuteOptions = {}): Promise<AthenaQueryResult> {
    const running = this.run(query, options);
    this.active.add(running);
    const forget = (): void => {
      this.active.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  private async run(query: CompiledQuery, options: ExecuteOptions): Promise<AthenaQueryResult> {
    if (this.closed) throw new EngineError('ENGINE_UNAVAILABLE', 'the Athena engine is shut down', this.name);
    if (options.signal?.aborted) throw new EngineError('QUERY_CANCELLED', 'the query was cancelled', this.name);
    if (options.deadline !== undefined && Date.now() >= options.deadline) {
      throw new EngineError('QUERY_TIMEOUT', 'the query exceeded its time limit before it started', this.name);
    }
    const input = this.startInput(query);
    const run = new Run(options, this.shutdown.signal);
    try {
      const queryId = await this.start(input, run);
      run.queryId = queryId;
      if (run.stopReason) throw run.stopReason;
      const execution = await this.waitForCompletion(run);
      const rows = await this.fetchRows(run, execution);
      const stats = this.stats(run, execution, rows.length);
      this.logger.debug({ engine: this.name, queryId, polls: run.polls, pages: run.pages, bytesScanned: stats.bytesScanned, durationMs: stats.durationMs }, 'athena query succeeded');
      return { rows, stats };
    } catch (error) {
      const reason = run.stopReason;
      if (reason) {
        if (run.mayBeRunning) await this.stop(run.queryId!, reason);
        throw new EngineError(reason.code, reason.message, this.name, run.queryId);
      }
      // Giving up on a query Athena may still run (e.g. polls failing): stop it rather than leave it scanning.
      if (run.mayBeRunning && !(error instanceof EngineError)) await this.stop(run.queryId!, { code: 'ENGINE_UNAVAILABLE', message: 'polling failed' });
      throw toEngineError(error, run.queryId);
    } finally {
      run.dispose();
    }
  }

  private startInput(query: CompiledQuery): StartQueryExecutionInput {
    let parameters: string[];
    try {
      parameters = query.params.map((param) => athenaExecutionParameter(param));
    } catch (error) {
      throw new EngineError('QUERY_FAILED', `cannot bind the query parameters: ${(error as Error).message}`, this.name);
    }
    const { workGroup, catalog, database, outputLocation, resultReuseMinutes } = this.options;
    return {
      QueryString: query.sql,
      // Athena rejects an empty list: omit it when there are no parameters.
      ...(parameters.length > 0 ? { ExecutionParameters: parameters } : {}),
      QueryExecutionContext: { Catalog: catalog, Database: database },
      WorkGroup: workGroup,
      ...(outputLocation ? { ResultConfiguration: { OutputLocation: outputLocation } } : {}),
      ...(resultReuseMinutes ? { ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: resultReuseMinutes } } } : {}),
    };
  }

  /**
   * StartQueryExecution with this run's ClientRequestToken. The SDK would fill a missing token
   * itself, but afresh on every `send`, so a re-send by this adapter would start a second query;
   * one token per execute call makes every retry (SDK or ours) land on the same QueryExecutionId.
   * The call in flight is not aborted by the caller (we could not learn the id of a query it may
   * have started); an abort that arrives meanwhile stops the query as soon as the id is known.
   */
  private async start(input: StartQueryExecutionInput, run: Run): Promise<string> {
    const command = new StartQueryExecutionCommand({ ...input, ClientRequestToken: run.token });
    const output = await this.withThrottleRetry(run, () => this.client.send(command));
    if (!output.QueryExecutionId) throw new EngineError('QUERY_FAILED', 'Athena started no query (no QueryExecutionId)', this.name);
    this.logger.debug({ engine: this.name, queryId: output.QueryExecutionId, token: run.token }, 'athena query started');
    return output.QueryExecutionId;
  }

  /** Polls until a terminal state. QUEUED and RUNNING are never success. */
  private async waitForCompletion(run: Run): Promise<QueryExecution> {
    const queryId = run.queryId!;
    let unconfirmedFailure = false;
    let throttledInARow = 0;
    for (let attempt = 0; ; attempt += 1) {
      await sleep(pollDelay(attempt, this.poll), run.signal);
      await sleep(this.limiter.reserve(), run.signal);
      run.polls += 1;
      let execution: QueryExecution | undefined;
      try {
        execution = (await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }), { abortSignal: run.signal })).QueryExecution;
        throttledInARow = 0;
      } catch (error) {
        // A throttled poll is a missed poll: keep going on the (growing) schedule, a few times.
        if (isThrottling(error) && throttledInARow < this.throttleRetries) {
          throttledInARow += 1;
          run.throttled += 1;
          this.logger.warn({ engine: this.name, queryId }, 'athena throttled GetQueryExecution; polling on');
          continue;
        }
        throw error;
      }
      const status = execution?.Status;
      run.lastState = status?.State;
      switch (status?.State) {
        case 'QUEUED':
        case 'RUNNING':
          unconfirmedFailure = false;
          continue;
        case 'SUCCEEDED':
          return execution!;
        case 'CANCELLED':
          throw new EngineError('QUERY_CANCELLED', `Athena cancelled the query${status.StateChangeReason ? `: ${status.StateChangeReason}` : ''}`, this.name, queryId);
        case 'FAILED':
          // Athena retries some system failures itself (FAILED → QUEUED); look once more before believing one.
          if (!unconfirmedFailure && status.AthenaError?.ErrorCategory !== USER_ERROR_CATEGORY) {
            unconfirmedFailure = true;
            continue;
          }
          throw this.failure(status, queryId);
        default:
          throw new EngineError('QUERY_FAILED', `Athena reported an unknown query state: ${String(status?.State)}`, this.name, queryId);
      }
    }
  }

  private failure(status: QueryExecutionStatus, queryId: string): EngineError {
    const reason = status.StateChangeReason ?? status.AthenaError?.ErrorMessage ?? 'the query failed';
    const timedOut = TIMEOUT_ERROR_TYPES.has(status.AthenaError?.ErrorType ?? -1) || /\b(query timeout|timed out)\b/i.test(reason);
    return new EngineError(timedOut ? 'QUERY_TIMEOUT' : 'QUERY_FAILED', reason, this.name, queryId);
  }

  /** GetQueryResults page by page; the first row of the first page is the header. */
  private async fetchRows(run: Run, execution: QueryExecution): Promise<Row[]> {
    const queryId = run.queryId!;
    const rows: Row[] = [];
    let parse: ReturnType<typeof rowParser> | null = null;
    let nextToken: string | undefined;
    do {
      const command = new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: this.pageSize, ...(nextToken ? { NextToken: nextToken } : {}) });
      const page = await this.withThrottleRetry(run, () => this.client.send(command, { abortSignal: run.signal }));
      const columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      let data = page.ResultSet?.Rows ?? [];
      if (run.pages === 0 && data.length > 0 && (execution.StatementType === 'DML' || isHeaderRow(data[0]!, columns))) data = data.slice(1);
      run.pages += 1;
      parse ??= rowParser(columns);
      for (const row of data) rows.push(parse(row));
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }

  private stats(run: Run, execution: QueryExecution, rowCount: number): AthenaQueryStats {
    const statistics = execution.Statistics;
    return {
      queryId: run.queryId!,
      durationMs: performance.now() - run.started,
      bytesScanned: statistics?.DataScannedInBytes ?? null,
      rows: rowCount,
      polls: run.polls,
      pages: run.pages,
      throttled: run.throttled,
      engineExecutionMs: statistics?.EngineExecutionTimeInMillis ?? null,
      queueMs: statistics?.QueryQueueTimeInMillis ?? null,
      reusedResult: statistics?.ResultReuseInformation?.ReusedPreviousResult ?? false,
    };
  }

  /** Retries a call Athena throttles after the SDK gave up, with the poll backoff; abortable between tries. */
  private async withThrottleRetry<T>(run: Run, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (!isThrottling(error) || attempt >= this.throttleRetries || run.stopReason) throw error;
        run.throttled += 1;
        this.logger.warn({ engine: this.name, queryId: run.queryId, attempt: attempt + 1 }, 'athena throttled the call; retrying');
        await sleep(pollDelay(attempt + 1, this.poll), run.signal);
      }
    }
  }

  /** Best effort: a failed stop is logged, never thrown over the error the caller should see. */
  private async stop(queryId: string, reason: StopReason): Promise<void> {
    try {
      await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }), { abortSignal: AbortSignal.timeout(this.stopTimeoutMs) });
      this.logger.info({ engine: this.name, queryId, reason: reason.code }, 'athena query stopped');
    } catch (error) {
      this.logger.warn({ engine: this.name, queryId, reason: reason.code, err: isAbortError(error) ? 'timed out' : (error as Error).message }, 'could not stop the athena query');
    }
  }

  /** Cheap and side-effect free: the workgroup exists, we may read it, and it is enabled. */
  async health(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const output = await this.client.send(new GetWorkGroupCommand({ WorkGroup: this.options.workGroup }), { abortSignal: AbortSignal.timeout(5_000) });
      return output.WorkGroup?.State !== 'DISABLED';
    } catch (error) {
      this.logger.warn({ engine: this.name, err: (error as Error).message }, 'athena health check failed');
      return false;
    }
  }

  /** Stops the queries still running (each execute rejects with ENGINE_UNAVAILABLE), then the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.shutdown.abort();
    await Promise.allSettled([...this.active]);
    this.client.destroy();
  }
}
