import {
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type DescribeStatementResponse,
  type ExecuteStatementInput,
  type GetStatementResultResponse,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { Logger } from 'pino';
import type { CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import type { PagedEngine, PageOptions, ResultPage, ResultPosition } from '../pages';
import type { DetachableOptions, Detached, ExecuteOptions, QueryProbe, QueryResult, ResumableEngineOf, Row } from '../types';
import { AsyncQueryRunner, polledStats, type PolledQueryStats, type PolledRun } from '../shared/async-query';
import { readResultPage, type EnginePage } from '../shared/result-pages';
import { selectOneHealth } from '../shared/lifecycle';
import { ENGINE_NAME, isEngineTimeout, isThrottling, toEngineError } from './errors';
import { keepLongValuesExact } from './exact-longs';
import { redshiftPollOptions, type RedshiftPollOptions } from './poll';
import { executeStatementInput, statementTarget, type RedshiftDataAuth, type RedshiftDataTarget } from './request';
import { recordReader } from './results';
import type { StreamingEngine, StreamOptions } from '../streams';

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

/**
 * Stats with what only the Data API reports; a subtype of the shared QueryStats. `polls` counts
 * DescribeStatement calls, `pages` GetStatementResult pages, `throttled` the calls the Data API throttled.
 */
export interface RedshiftDataQueryStats extends PolledQueryStats {
  /** Redshift's own query id (`RedshiftQueryId`, as in STL/SYS tables), when reported. */
  readonly redshiftQueryId: number | null;
  /** The time Redshift spent on the statement (`Duration`), in ms, when reported. */
  readonly engineDurationMs: number | null;
}

export interface RedshiftDataQueryResult extends QueryResult {
  readonly stats: RedshiftDataQueryStats;
}

export type RedshiftDataEngine = ResumableEngineOf<RedshiftDataQueryResult> & PagedEngine & StreamingEngine;

/**
 * The Redshift Data API adapter: ExecuteStatement with the compiled SQL and its `:pN` parameters,
 * DescribeStatement polling with backoff until a terminal state, GetStatementResult paging into
 * typed rows. A caller's abort or deadline cancels the statement (CancelStatement) so Redshift does
 * not keep running it after nobody waits. It is resumable: a long statement can be left running at
 * a detach time and picked up again by its Id (the Data API keeps results for 24 hours).
 */
export function createRedshiftDataEngine(options: RedshiftDataEngineOptions): RedshiftDataEngine {
  return new RedshiftDataAdapter(options);
}

/** Statement states after which the Data API does no more work. */
const TERMINAL_STATES: ReadonlySet<string> = new Set(['FINISHED', 'FAILED', 'ABORTED']);

class RedshiftDataAdapter implements RedshiftDataEngine {
  readonly name = ENGINE_NAME;
  readonly dialect = 'redshift-data';
  readonly capabilities = { cancellable: true, reportsBytesScanned: false, resumable: true, resultPages: true, streams: true };

  private readonly client: RedshiftDataClient;
  private readonly logger: RedshiftDataLogger;
  private readonly runner: AsyncQueryRunner<ExecuteStatementInput, DescribeStatementResponse>;

  constructor(private readonly options: RedshiftDataEngineOptions) {
    this.client = options.client;
    this.logger = options.logger;
    const target = statementTarget(options.database, options.target, options.auth);
    this.runner = this.createRunner(target, redshiftPollOptions(options.poll));
  }

  /** ExecuteStatement with each run's ClientToken, so every retry (the SDK's or ours) lands on the same statement. */
  private createRunner(target: ReturnType<typeof statementTarget>, poll: RedshiftPollOptions): AsyncQueryRunner<ExecuteStatementInput, DescribeStatementResponse> {
    const client = this.client;
    return new AsyncQueryRunner<ExecuteStatementInput, DescribeStatementResponse>({
      engine: this.name,
      label: 'Redshift',
      terminalStates: TERMINAL_STATES,
      protocol: {
        prepare: (query, token) => executeStatementInput(query, target, token, this.options.statementName),
        submit: async (input) => (await client.send(new ExecuteStatementCommand(input))).Id,
        describe: (id, signal) => client.send(new DescribeStatementCommand({ Id: id }), { abortSignal: signal }),
        stateOf: (description) => description.Status,
        watch: (id) => (description) => this.succeeded(description, id),
        cancel: (id, signal) => client.send(new CancelStatementCommand({ Id: id }), { abortSignal: signal }),
        isThrottling,
        toEngineError,
      },
      messages: {
        noId: 'the Data API started no statement (no Id)',
        submitted: 'redshift statement submitted',
        pollThrottled: 'redshift data api throttled DescribeStatement; polling on',
        callThrottled: 'redshift data api throttled the call; retrying',
        stopped: 'redshift statement cancelled',
        stopFailed: 'could not cancel the redshift statement',
      },
      logger: this.logger,
      poll,
      throttleRetries: this.options.throttleRetries ?? 4,
      stopTimeoutMs: this.options.cancelTimeoutMs ?? 5_000,
    });
  }

  execute(query: CompiledQuery, options: ExecuteOptions = {}): Promise<RedshiftDataQueryResult> {
    return this.runner.execute(query, options, (run, description) => this.complete(run, description));
  }

  executeDetachable(query: CompiledQuery, options: DetachableOptions): Promise<RedshiftDataQueryResult | Detached> {
    return this.runner.executeDetachable(query, options, (run, description) => this.complete(run, description));
  }

  /** Stats of a resumed statement count this wait only (its polls, pages and duration). */
  resume(statementId: string, options: DetachableOptions): Promise<RedshiftDataQueryResult | Detached> {
    return this.runner.resume(statementId, options, (run, description) => this.complete(run, description));
  }

  stopQuery(statementId: string): Promise<void> {
    return this.runner.stopQuery(statementId);
  }

  probe(statementId: string): Promise<QueryProbe> {
    return this.runner.probe(statementId);
  }

  /** Runs the statement once and reads its first page; later pages come from `fetchPage` on its Id. */
  executePage(query: CompiledQuery, options: PageOptions): Promise<ResultPage> {
    return this.runner.execute(query, options, async (run, description) => {
      const page = await readResultPage(this.pageReader(run), { token: null, skip: 0 }, options.first);
      return { ...page, stats: this.stats(run, description, page.rows.length) };
    });
  }

  /** GetStatementResult calls only, from `position` of a statement that already finished. */
  fetchPage(statementId: string, position: ResultPosition, options: PageOptions): Promise<ResultPage> {
    return this.runner.readResult(statementId, options, async (run) => {
      const page = await readResultPage(this.pageReader(run), position, options.first);
      return { ...page, stats: polledStats(run, page.rows.length, null) };
    });
  }

  /**
   * One GetStatementResult page (the Data API sizes its pages itself, so `want` is not asked for),
   * typed by its ColumnMetadata, or the first page's when a later one carries none.
   */
  private pageReader(run: PolledRun): (token: string | null) => Promise<EnginePage> {
    let read: ReturnType<typeof recordReader> | null = null;
    const fetch = async (token: string | null): Promise<GetStatementResultResponse> => {
      const page = await this.runner.withThrottleRetry(run, () => this.client.send(
        keepLongValuesExact(new GetStatementResultCommand({ Id: run.queryId!, ...(token ? { NextToken: token } : {}) })),
        { abortSignal: run.signal },
      ));
      run.pages += 1;
      return page;
    };
    return async (token) => {
      const page = await fetch(token);
      const records = page.Records ?? [];
      if (records.length > 0 && !read) read = recordReader(page.ColumnMetadata?.length ? page.ColumnMetadata : (await fetch(null)).ColumnMetadata ?? []);
      return { rows: records.map((record) => read!(record)), nextToken: page.NextToken ?? null };
    };
  }

  private async complete(run: PolledRun, description: DescribeStatementResponse): Promise<RedshiftDataQueryResult> {
    const rows = description.HasResultSet === false ? [] : await this.fetchRows(run);
    const stats = this.stats(run, description, rows.length);
    this.logger.debug({ engine: this.name, queryId: stats.queryId, polls: run.polls, pages: run.pages, rows: rows.length, durationMs: stats.durationMs }, 'redshift statement finished');
    return { rows, stats };
  }

  /** Judges one DescribeStatement answer. SUBMITTED, PICKED and STARTED are never success. */
  private succeeded(description: DescribeStatementResponse, id: string): boolean {
    switch (description.Status) {
      case 'SUBMITTED':
      case 'PICKED':
      case 'STARTED':
        return false;
      case 'FINISHED':
        return true;
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

  /** GetStatementResult page by page (NextToken), typed by the first page's ColumnMetadata. */
  private async fetchRows(run: PolledRun): Promise<Row[]> {
    const rows: Row[] = [];
    const read = this.recordsReader(run.queryId!);
    await this.runner.readPages(run, (nextToken) => this.getStatementResult(run.queryId!, nextToken, run.signal), (page) => {
      for (const row of read(page)) rows.push(row);
    });
    return rows;
  }

  private getStatementResult(id: string, nextToken: string | undefined, signal: AbortSignal | undefined): Promise<GetStatementResultResponse> {
    return this.client.send(keepLongValuesExact(new GetStatementResultCommand({ Id: id, ...(nextToken ? { NextToken: nextToken } : {}) })), { abortSignal: signal });
  }

  /** Turns each page's records into rows, typed by the first page's ColumnMetadata. */
  private recordsReader(id: string): (page: GetStatementResultResponse) => Row[] {
    let read: ReturnType<typeof recordReader> | null = null;
    return (page) => {
      if (!read && page.ColumnMetadata) read = recordReader(page.ColumnMetadata);
      const records = page.Records ?? [];
      if (records.length > 0 && !read) throw new EngineError('QUERY_FAILED', 'the Data API sent records without ColumnMetadata', this.name, id);
      return records.map((record) => read!(record));
    };
  }

  /**
   * Runs the statement as `execute` does (an abort while it runs cancels it: CancelStatement),
   * then reads its result one GetStatementResult page at a time as the reader asks. A finished
   * statement has nothing left to cancel: an abort or a reader that breaks off ends the paging.
   */
  stream(query: CompiledQuery, options: StreamOptions = {}): AsyncIterable<readonly Row[]> {
    return { [Symbol.asyncIterator]: () => this.streamPages(query, options) };
  }

  private async* streamPages(query: CompiledQuery, options: StreamOptions): AsyncGenerator<readonly Row[]> {
    const { id, description } = await this.runner.execute(query, options, async (run, description) => ({ id: run.queryId!, description }));
    options.onFacts?.({ queryId: id, bytesScanned: null });
    if (description.HasResultSet === false) return;
    const read = this.recordsReader(id);
    let nextToken: string | undefined;
    do {
      const page = await this.runner.readResult(id, { signal: options.signal }, (run) => this.runner.withThrottleRetry(run, () => this.getStatementResult(id, nextToken, run.signal)));
      yield read(page);
      nextToken = page.NextToken;
    } while (nextToken);
  }

  private stats(run: PolledRun, description: DescribeStatementResponse, rowCount: number): RedshiftDataQueryStats {
    return {
      ...polledStats(run, rowCount, null),
      redshiftQueryId: description.RedshiftQueryId ?? null,
      // Duration is in nanoseconds.
      engineDurationMs: description.Duration === undefined || description.Duration < 0 ? null : description.Duration / 1e6,
    };
  }

  /** A real round trip (`SELECT 1` through the Data API, 10 s at most): the Data API has no cheaper ping that signs in. */
  async health(): Promise<boolean> {
    if (this.runner.closed) return false;
    return selectOneHealth(this, this.logger, 10_000, 'redshift health check failed');
  }

  /** Cancels the statements still running (each execute rejects with ENGINE_UNAVAILABLE), then the client. */
  async close(): Promise<void> {
    if (await this.runner.close()) this.client.destroy();
  }
}
