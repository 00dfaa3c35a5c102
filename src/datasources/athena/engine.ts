import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type GetQueryResultsOutput,
  type QueryExecution,
  type QueryExecutionStatus,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import type { Logger } from 'pino';
import { athenaExecutionParameter } from '../../sql/literals';
import type { CompiledQuery } from '../../sql/types';
import { EngineError } from '../errors';
import type { PagedEngine, PageOptions, ResultPage, ResultPosition } from '../pages';
import type { DetachableOptions, Detached, ExecuteOptions, QueryProbe, QueryResult, ResumableEngineOf, Row } from '../types';
import { AsyncQueryRunner, polledStats, type PolledQueryStats, type PolledRun } from '../shared/async-query';
import { readResultPage, type EnginePage } from '../shared/result-pages';
import { ENGINE_NAME, isThrottling, toEngineError } from './errors';
import { pollOptions, type PollOptions } from './poll';
import { isHeaderRow, rowParser } from './results';
import type { StreamingEngine, StreamOptions } from '../streams';

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

/**
 * Stats with what only Athena reports; a subtype of the shared QueryStats. `polls` counts
 * GetQueryExecution calls, `pages` GetQueryResults pages, `throttled` the calls Athena throttled.
 */
export interface AthenaQueryStats extends PolledQueryStats {
  readonly engineExecutionMs: number | null;
  readonly queueMs: number | null;
  /** True when Athena answered from a reused previous result (no data scanned). */
  readonly reusedResult: boolean;
}

export interface AthenaQueryResult extends QueryResult {
  readonly stats: AthenaQueryStats;
}

export type AthenaEngine = ResumableEngineOf<AthenaQueryResult> & PagedEngine & StreamingEngine;

/**
 * The Athena adapter: StartQueryExecution with the compiled SQL and its parameters as Trino
 * literals, GetQueryExecution polling with backoff until a terminal state, GetQueryResults paging
 * into typed rows. A caller's abort or deadline stops the engine query (StopQueryExecution) so it
 * does not keep scanning (and billing) after nobody waits for it. It is resumable: a long query
 * can be left running at a detach time and picked up again by its QueryExecutionId.
 */
export function createAthenaEngine(options: AthenaEngineOptions): AthenaEngine {
  return new AthenaAdapter(options);
}

const TERMINAL_STATES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
/** Turns each GetQueryResults page into rows, typed by the first page's ColumnInfo; the first row of the first page is the header (DML results have none). */
function pageParser(execution: QueryExecution): (page: GetQueryResultsOutput, index: number) => Row[] {
  let parse: ReturnType<typeof rowParser> | null = null;
  return (page, index) => {
    const columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    let data = page.ResultSet?.Rows ?? [];
    if (index === 0 && data.length > 0 && (execution.StatementType === 'DML' || isHeaderRow(data[0]!, columns))) data = data.slice(1);
    parse ??= rowParser(columns);
    return data.map(parse);
  };
}

/** Athena's error catalog: 206 and 210 are "query timed out". */
const TIMEOUT_ERROR_TYPES = new Set([206, 210]);
/** ErrorCategory 2 is USER (bad SQL, missing table): Athena does not retry those itself. */
const USER_ERROR_CATEGORY = 2;

type Execution = QueryExecution | undefined;

class AthenaAdapter implements AthenaEngine {
  readonly name = ENGINE_NAME;
  readonly dialect = 'athena';
  readonly capabilities = { cancellable: true, reportsBytesScanned: true, resumable: true, resultPages: true, streams: true };

  private readonly client: AthenaClient;
  private readonly logger: AthenaLogger;
  private readonly pageSize: number;
  private readonly runner: AsyncQueryRunner<StartQueryExecutionInput, Execution>;

  constructor(private readonly options: AthenaEngineOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.pageSize = options.pageSize ?? 1_000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 2 || this.pageSize > 1_000) throw new RangeError(`pageSize must be an integer from 2 to 1000, got ${options.pageSize}`);
    const reuse = options.resultReuseMinutes;
    if (reuse !== undefined && (!Number.isInteger(reuse) || reuse < 1 || reuse > 10_080)) throw new RangeError(`resultReuseMinutes must be an integer from 1 to 10080, got ${reuse}`);
    this.runner = this.createRunner(pollOptions(options.poll));
  }

  /**
   * StartQueryExecution with each run's ClientRequestToken. The SDK would fill a missing token
   * itself, but afresh on every `send`, so a re-send by this adapter would start a second query;
   * one token per execute call makes every retry (SDK or ours) land on the same QueryExecutionId.
   */
  private createRunner(poll: PollOptions): AsyncQueryRunner<StartQueryExecutionInput, Execution> {
    const client = this.client;
    return new AsyncQueryRunner({
      engine: this.name,
      label: 'Athena',
      terminalStates: TERMINAL_STATES,
      protocol: {
        prepare: (query, token) => this.startInput(query, token),
        submit: async (input) => (await client.send(new StartQueryExecutionCommand(input))).QueryExecutionId,
        describe: async (queryId, signal) => (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }), { abortSignal: signal })).QueryExecution,
        stateOf: (execution) => execution?.Status?.State,
        watch: (queryId) => this.watch(queryId),
        cancel: (queryId, signal) => client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }), { abortSignal: signal }),
        isThrottling,
        toEngineError,
      },
      messages: {
        noId: 'Athena started no query (no QueryExecutionId)',
        submitted: 'athena query started',
        pollThrottled: 'athena throttled GetQueryExecution; polling on',
        callThrottled: 'athena throttled the call; retrying',
        stopped: 'athena query stopped',
        stopFailed: 'could not stop the athena query',
      },
      logger: this.logger,
      poll,
      throttleRetries: this.options.throttleRetries ?? 4,
      stopTimeoutMs: this.options.stopTimeoutMs ?? 5_000,
    });
  }

  execute(query: CompiledQuery, options: ExecuteOptions = {}): Promise<AthenaQueryResult> {
    return this.runner.execute(query, options, (run, execution) => this.complete(run, execution!));
  }

  executeDetachable(query: CompiledQuery, options: DetachableOptions): Promise<AthenaQueryResult | Detached> {
    return this.runner.executeDetachable(query, options, (run, execution) => this.complete(run, execution!));
  }

  /** Stats of a resumed query count this wait only (its polls, pages and duration). */
  resume(queryId: string, options: DetachableOptions): Promise<AthenaQueryResult | Detached> {
    return this.runner.resume(queryId, options, (run, execution) => this.complete(run, execution!));
  }

  stopQuery(queryId: string): Promise<void> {
    return this.runner.stopQuery(queryId);
  }

  probe(queryId: string): Promise<QueryProbe> {
    return this.runner.probe(queryId);
  }

  /** Runs the query once and reads its first page; later pages come from `fetchPage` on its QueryExecutionId. */
  executePage(query: CompiledQuery, options: PageOptions): Promise<ResultPage> {
    return this.runner.execute(query, options, async (run, execution) => {
      const page = await readResultPage(this.pageReader(run), { token: null, skip: 0 }, options.first);
      return { ...page, stats: this.stats(run, execution!, page.rows.length) };
    });
  }

  /** GetQueryResults calls only, from `position` of a query that already succeeded; a page read scans nothing. */
  fetchPage(queryId: string, position: ResultPosition, options: PageOptions): Promise<ResultPage> {
    return this.runner.readResult(queryId, options, async (run) => {
      const page = await readResultPage(this.pageReader(run), position, options.first);
      return { ...page, stats: polledStats(run, page.rows.length, 0) };
    });
  }

  /**
   * One GetQueryResults page of `want` rows (at most pageSize). The first page of a SELECT's result
   * starts with the header row, which MaxResults counts: ask one more there and drop it.
   */
  private pageReader(run: PolledRun): (token: string | null, want: number) => Promise<EnginePage> {
    return async (token, want) => {
      const header = token === null ? 1 : 0;
      const max = Math.min(this.pageSize, want + header);
      const output = await this.runner.withThrottleRetry(run, () => this.client.send(
        new GetQueryResultsCommand({ QueryExecutionId: run.queryId!, MaxResults: max, ...(token ? { NextToken: token } : {}) }),
        { abortSignal: run.signal },
      ));
      run.pages += 1;
      const parse = rowParser(output.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []);
      const data = (output.ResultSet?.Rows ?? []).slice(header);
      return { rows: data.map(parse), nextToken: output.NextToken ?? null };
    };
  }

  private async complete(run: PolledRun, execution: QueryExecution): Promise<AthenaQueryResult> {
    const rows = await this.fetchRows(run, execution);
    const stats = this.stats(run, execution, rows.length);
    this.logger.debug({ engine: this.name, queryId: run.queryId, polls: run.polls, pages: run.pages, bytesScanned: stats.bytesScanned, durationMs: stats.durationMs }, 'athena query succeeded');
    return { rows, stats };
  }

  /** The compiled SQL with its parameters as Trino literals (the runner turns a render failure into QUERY_FAILED). */
  private startInput(query: CompiledQuery, token: string): StartQueryExecutionInput {
    const parameters = query.params.map((param) => athenaExecutionParameter(param));
    const { workGroup, catalog, database, outputLocation, resultReuseMinutes } = this.options;
    return {
      QueryString: query.sql,
      // Athena rejects an empty list: omit it when there are no parameters.
      ...(parameters.length > 0 ? { ExecutionParameters: parameters } : {}),
      QueryExecutionContext: { Catalog: catalog, Database: database },
      WorkGroup: workGroup,
      ...(outputLocation ? { ResultConfiguration: { OutputLocation: outputLocation } } : {}),
      ...(resultReuseMinutes ? { ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: resultReuseMinutes } } } : {}),
      ClientRequestToken: token,
    };
  }

  /** Judges one query's GetQueryExecution answers. QUEUED and RUNNING are never success. */
  private watch(queryId: string): (execution: Execution) => boolean {
    let unconfirmedFailure = false;
    return (execution) => {
      const status = execution?.Status;
      switch (status?.State) {
        case 'QUEUED':
        case 'RUNNING':
          unconfirmedFailure = false;
          return false;
        case 'SUCCEEDED':
          return true;
        case 'CANCELLED':
          throw new EngineError('QUERY_CANCELLED', `Athena cancelled the query${status.StateChangeReason ? `: ${status.StateChangeReason}` : ''}`, this.name, queryId);
        case 'FAILED':
          // Athena retries some system failures itself (FAILED → QUEUED); look once more before believing one.
          if (!unconfirmedFailure && status.AthenaError?.ErrorCategory !== USER_ERROR_CATEGORY) {
            unconfirmedFailure = true;
            return false;
          }
          throw this.failure(status, queryId);
        default:
          throw new EngineError('QUERY_FAILED', `Athena reported an unknown query state: ${String(status?.State)}`, this.name, queryId);
      }
    };
  }

  private failure(status: QueryExecutionStatus, queryId: string): EngineError {
    const reason = status.StateChangeReason ?? status.AthenaError?.ErrorMessage ?? 'the query failed';
    const timedOut = TIMEOUT_ERROR_TYPES.has(status.AthenaError?.ErrorType ?? -1) || /\b(query timeout|timed out)\b/i.test(reason);
    return new EngineError(timedOut ? 'QUERY_TIMEOUT' : 'QUERY_FAILED', reason, this.name, queryId);
  }

  /** GetQueryResults page by page; the first row of the first page is the header. */
  private async fetchRows(run: PolledRun, execution: QueryExecution): Promise<Row[]> {
    const rows: Row[] = [];
    const parse = pageParser(execution);
    await this.runner.readPages(run, (nextToken) => this.getResults(run.queryId!, nextToken, run.signal), (page, index) => {
      for (const row of parse(page, index)) rows.push(row);
    });
    return rows;
  }

  private getResults(queryId: string, nextToken: string | undefined, signal: AbortSignal | undefined): Promise<GetQueryResultsOutput> {
    return this.client.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: this.pageSize, ...(nextToken ? { NextToken: nextToken } : {}) }), { abortSignal: signal });
  }

  /**
   * Runs the query as `execute` does (an abort while it runs stops it: StopQueryExecution), then
   * reads its result one GetQueryResults page at a time as the reader asks. Once the query has
   * succeeded there is nothing left to stop on Athena: an abort or a reader that breaks off ends
   * the paging.
   */
  stream(query: CompiledQuery, options: StreamOptions = {}): AsyncIterable<readonly Row[]> {
    return { [Symbol.asyncIterator]: () => this.streamPages(query, options) };
  }

  private async* streamPages(query: CompiledQuery, options: StreamOptions): AsyncGenerator<readonly Row[]> {
    const { queryId, execution } = await this.runner.execute(query, options, async (run, execution) => ({ queryId: run.queryId!, execution: execution! }));
    options.onFacts?.({ queryId, bytesScanned: execution.Statistics?.DataScannedInBytes ?? null });
    const parse = pageParser(execution);
    let nextToken: string | undefined;
    let index = 0;
    do {
      const page = await this.runner.readResult(queryId, { signal: options.signal }, (run) => this.runner.withThrottleRetry(run, () => this.getResults(queryId, nextToken, run.signal)));
      yield parse(page, index);
      index += 1;
      nextToken = page.NextToken;
    } while (nextToken);
  }

  private stats(run: PolledRun, execution: QueryExecution, rowCount: number): AthenaQueryStats {
    const statistics = execution.Statistics;
    return {
      ...polledStats(run, rowCount, statistics?.DataScannedInBytes ?? null),
      engineExecutionMs: statistics?.EngineExecutionTimeInMillis ?? null,
      queueMs: statistics?.QueryQueueTimeInMillis ?? null,
      reusedResult: statistics?.ResultReuseInformation?.ReusedPreviousResult ?? false,
    };
  }

  /** Cheap and side-effect free: the workgroup exists, we may read it, and it is enabled. */
  async health(): Promise<boolean> {
    if (this.runner.closed) return false;
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
    if (await this.runner.close()) this.client.destroy();
  }
}
