import {
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type DescribeStatementResponse,
  type ExecuteStatementInput,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { Logger } from 'pino';
import type { CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import type { Engine, ExecuteOptions, QueryResult, QueryStats, Row } from '../types';
import { ENGINE_NAME, isAbortError, isEngineTimeout, isThrottling, toEngineError } from './errors';
import { keepLongValuesExact } from './exact-longs';
import { PollRateLimiter, redshiftPollDelay, redshiftPollOptions, sleep, type RedshiftPollOptions } from './poll';
import { executeStatementInput, statementTarget, type RedshiftDataAuth, type RedshiftDataTarget, type StatementTarget } from './request';
import { recordReader } from './results';
import { StatementRun, type StopReason } from './run';

export type { RedshiftDataAuth, RedshiftDataTarget } from './request';
export type { RedshiftPollOptions } from './poll';

export type RedshiftDataLogger = Pick<Logger, 'debug' | 'info' | 'warn'>;

export interface RedshiftDataEngineOptions {
  readonly client: RedshiftDataClient;
  readonly database: string;
  readonly target: RedshiftDataTarget;
  /** Secrets Manager secret or DbUser; leave out to sign in as the client's IAM identity. */
  readonly auth?: RedshiftDataAuth;
  readonly poll?: Partial<RedshiftPollOptions>;
  readonly logger: RedshiftDataLogger;
  /**
   * Extra tries of a throttled call after the SDK's own retries gave up (default 4), with the poll
   * backoff between them. Every call is idempotent (ClientToken, NextToken), so this is safe.
   */
  readonly throttleRetries?: number;
  /** How long a CancelStatement may take before we give up on it (default 5000 ms). */
  readonly cancelTimeoutMs?: number;
  /** `StatementName` on every statement (shows in `ListStatements` and `SYS_QUERY_HISTORY`); e.g. `lakegate`. */
  readonly statementName?: string;
}

/** Stats with what only the Data API reports; a subtype of the shared QueryStats. */
export interface RedshiftDataQueryStats extends QueryStats {
  /** DescribeStatement calls made for this statement (throttled ones included). */
  readonly polls: number;
  /** GetStatementResult pages read. */
  readonly pages: number;
  /** Calls the Data API throttled and the adapter retried (beyond the SDK's own retries). */
  readonly throttled: number;
  /** Redshift's own query id (`RedshiftQueryId`, as in STL/SYS tables), when reported. */
  readonly redshiftQueryId: number | null;
  /** The time Redshift spent on the statement (`Duration`), in ms, when reported. */
  readonly engineDurationMs: number | null;
}

export interface RedshiftDataQueryResult extends QueryResult {
  readonly stats: RedshiftDataQueryStats;
}

export interface RedshiftDataEngine extends Engine {
  execute(query: CompiledQuery, options?: ExecuteOptions): Promise<RedshiftDataQueryResult>;
}

/**
 * The Redshift Data API adapter: ExecuteStatement with the compiled SQL and its `:pN` parameters,
 * DescribeStatement polling with backoff until a terminal state, GetStatementResult paging into
 * typed rows. A caller's abort or deadline cancels the statement (CancelStatement) so Redshift does
 * not keep running it after nobody waits.
 */
export function createRedshiftDataEngine(options: RedshiftDataEngineOptions): RedshiftDataEngine {
  return new RedshiftDataAdapter(options);
}

class RedshiftDataAdapter implements RedshiftDataEngine {
  readonly name = ENGINE_NAME;
  readonly dialect = 'redshift-data';
  readonly capabilities = { cancellable: true, reportsBytesScanned: false };

  private readonly client: RedshiftDataClient;
  private readonly logger: RedshiftDataLogger;
  private readonly target: StatementTarget;
  private readonly poll: RedshiftPollOptions;
  private readonly limiter: PollRateLimiter;
  private readonly throttleRetries: number;
  private readonly cancelTimeoutMs: number;
  private readonly shutdown = new AbortController();
  private readonly active = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly options: RedshiftDataEngineOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.target = statementTarget(options.database, options.target, options.auth);
    this.poll = redshiftPollOptions(options.poll);
    this.limiter = new PollRateLimiter(this.poll.maxCallsPerSecond);
    this.throttleRetries = options.throttleRetries ?? 4;
    this.cancelTimeoutMs = options.cancelTimeoutMs ?? 5_000;
  }

  execute(query: CompiledQuery, options: ExecuteOptions = {}): Promise<RedshiftDataQueryResult> {
    const running = this.run(query, options);
    this.active.add(running);
    const forget = (): void => {
      this.active.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  private async run(query: CompiledQuery, options: ExecuteOptions): Promise<RedshiftDataQueryResult> {
    if (this.closed) throw new EngineError('ENGINE_UNAVAILABLE', 'the Redshift engine is shut down', this.name);
    if (options.signal?.aborted) throw new EngineError('QUERY_CANCELLED', 'the query was cancelled', this.name);
    if (options.deadline !== undefined && Date.now() >= options.deadline) {
      throw new EngineError('QUERY_TIMEOUT', 'the query exceeded its time limit before it started', this.name);
    }
    const run = new StatementRun(options, this.shutdown.signal);
    let input: ExecuteStatementInput;
    try {
      input = executeStatementInput(query, this.target, run.token, this.options.statementName);
    } catch (error) {
      run.dispose();
      throw new EngineError('QUERY_FAILED', `cannot bind the query parameters: ${(error as Error).message}`, this.name);
    }
    try {
      run.statementId = await this.submit(input, run);
      if (run.stopReason) throw run.stopReason;
      const description = await this.waitForCompletion(run);
      const rows = description.HasResultSet === false ? [] : await this.fetchRows(run);
      const stats = this.stats(run, description, rows.length);
      this.logger.debug({ engine: this.name, queryId: stats.queryId, polls: run.polls, pages: run.pages, rows: rows.length, durationMs: stats.durationMs }, 'redshift statement finished');
      return { rows, stats };
    } catch (error) {
      const reason = run.stopReason;
      if (reason) {
        if (run.mayBeRunning) await this.cancel(run.statementId!, reason);
        throw new EngineError(reason.code, reason.message, this.name, run.statementId);
      }
      // Giving up on a statement Redshift may still run (e.g. polls failing): cancel it rather than leave it running.
      if (run.mayBeRunning && !(error instanceof EngineError)) await this.cancel(run.statementId!, { code: 'ENGINE_UNAVAILABLE', message: 'polling failed' });
      throw toEngineError(error, run.statementId);
    } finally {
      run.dispose();
    }
  }

  /**
   * ExecuteStatement with this run's ClientToken, so every retry (the SDK's or ours) lands on the
   * same statement. The call in flight is not aborted by the caller (we could not learn the id of a
   * statement it may have started); an abort meanwhile cancels the statement once the id is known.
   */
  private async submit(input: ExecuteStatementInput, run: StatementRun): Promise<string> {
    const command = new ExecuteStatementCommand(input);
    const output = await this.withThrottleRetry(run, () => this.client.send(command));
    if (!output.Id) throw new EngineError('QUERY_FAILED', 'the Data API started no statement (no Id)', this.name);
    this.logger.debug({ engine: this.name, queryId: output.Id, token: run.token }, 'redshift statement submitted');
    return output.Id;
  }

  /** Polls DescribeStatement until a terminal state. SUBMITTED, PICKED and STARTED are never success. */
  private async waitForCompletion(run: StatementRun): Promise<DescribeStatementResponse> {
    const id = run.statementId!;
    let throttledInARow = 0;
    for (let attempt = 0; ; attempt += 1) {
      await sleep(redshiftPollDelay(attempt, this.poll), run.signal);
      await sleep(this.limiter.reserve(), run.signal);
      run.polls += 1;
      let description: DescribeStatementResponse;
      try {
        description = await this.client.send(new DescribeStatementCommand({ Id: id }), { abortSignal: run.signal });
        throttledInARow = 0;
      } catch (error) {
        // A throttled poll is a missed poll: keep going on the (growing) schedule, a few times.
        if (isThrottling(error) && throttledInARow < this.throttleRetries && !run.stopReason) {
          throttledInARow += 1;
          run.throttled += 1;
          this.logger.warn({ engine: this.name, queryId: id }, 'redshift data api throttled DescribeStatement; polling on');
          continue;
        }
        throw error;
      }
      run.lastStatus = description.Status;
      switch (description.Status) {
        case 'SUBMITTED':
        case 'PICKED':
        case 'STARTED':
          continue;
        case 'FINISHED':
          return description;
        case 'ABORTED':
          throw new EngineError('QUERY_CANCELLED', 'Redshift aborted the statement (cancelled outside this request)', this.name, id);
        case 'FAILED': {
          const message = description.Error || 'the statement failed';
          throw new EngineError(isEngineTimeout(message) ? 'QUERY_TIMEOUT' : 'QUERY_FAILED', message, this.name, id);
        }
        default:
          throw new EngineError('QUERY_FAILED', `the Data API reported an unknown statement status: ${String(description.Status)}`, this.name, id);
      }
    }
  }

  /** GetStatementResult page by page (NextToken), typed by the first page's ColumnMetadata. */
  private async fetchRows(run: StatementRun): Promise<Row[]> {
    const id = run.statementId!;
    const rows: Row[] = [];
    let read: ReturnType<typeof recordReader> | null = null;
    let nextToken: string | undefined;
    do {
      const command = keepLongValuesExact(new GetStatementResultCommand({ Id: id, ...(nextToken ? { NextToken: nextToken } : {}) }));
      const page = await this.withThrottleRetry(run, () => this.client.send(command, { abortSignal: run.signal }));
      run.pages += 1;
      if (!read && page.ColumnMetadata) read = recordReader(page.ColumnMetadata);
      const records = page.Records ?? [];
      if (records.length > 0 && !read) throw new EngineError('QUERY_FAILED', 'the Data API sent records without ColumnMetadata', this.name, id);
      for (const record of records) rows.push(read!(record));
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }

  private stats(run: StatementRun, description: DescribeStatementResponse, rowCount: number): RedshiftDataQueryStats {
    return {
      queryId: run.statementId!,
      durationMs: performance.now() - run.started,
      bytesScanned: null,
      rows: rowCount,
      polls: run.polls,
      pages: run.pages,
      throttled: run.throttled,
      redshiftQueryId: description.RedshiftQueryId ?? null,
      // Duration is in nanoseconds.
      engineDurationMs: description.Duration === undefined || description.Duration < 0 ? null : description.Duration / 1e6,
    };
  }

  /** Retries a call the Data API throttles after the SDK gave up, with the poll backoff; abortable between tries. */
  private async withThrottleRetry<T>(run: StatementRun, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (!isThrottling(error) || attempt >= this.throttleRetries || run.stopReason) throw error;
        run.throttled += 1;
        this.logger.warn({ engine: this.name, queryId: run.statementId, attempt: attempt + 1 }, 'redshift data api throttled the call; retrying');
        await sleep(redshiftPollDelay(attempt + 1, this.poll), run.signal);
      }
    }
  }

  /** Best effort: a failed cancel is logged, never thrown over the error the caller should see. */
  private async cancel(id: string, reason: StopReason): Promise<void> {
    try {
      await this.client.send(new CancelStatementCommand({ Id: id }), { abortSignal: AbortSignal.timeout(this.cancelTimeoutMs) });
      this.logger.info({ engine: this.name, queryId: id, reason: reason.code }, 'redshift statement cancelled');
    } catch (error) {
      // The statement may have finished meanwhile (the Data API refuses to cancel a finished one).
      this.logger.warn({ engine: this.name, queryId: id, reason: reason.code, err: isAbortError(error) ? 'timed out' : (error as Error).message }, 'could not cancel the redshift statement');
    }
  }

  /** A real round trip (`SELECT 1` through the Data API, 10 s at most): the Data API has no cheaper ping that signs in. */
  async health(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const result = await this.execute({ sql: 'SELECT 1 AS ok', params: [] }, { deadline: Date.now() + 10_000 });
      return result.rows.length === 1;
    } catch (error) {
      this.logger.warn({ engine: this.name, err: (error as Error).message }, 'redshift health check failed');
      return false;
    }
  }

  /** Cancels the statements still running (each execute rejects with ENGINE_UNAVAILABLE), then the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.shutdown.abort();
    await Promise.allSettled([...this.active]);
    this.client.destroy();
  }
}
