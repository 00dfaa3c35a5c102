import type { FieldNode } from 'graphql';
import type { Dataset } from '../catalog/types';
import { EngineError } from '../datasources/errors';
import { onAbort } from '../datasources/shared/abort';
import { isStreaming, type StreamFacts } from '../datasources/streams';
import type { Row } from '../datasources/types';
import { applyPolicy } from '../policy/rewrite';
import { LakegateError } from '../query/errors';
import type { RowQuery } from '../query/types';
import { compileQuery } from '../sql/compiler';
import type { Limits, PlannerContext } from './context';
import { guardStream } from './guards';
import { checkPartitionFilter } from './partition-filter';
import { planRows, type RowArgs } from './rows';
import { auditFields, chooseEngine, engineFailure } from './run';

/** An export under way: the engine that streams it and its rows in batches (the first already read). */
export interface OpenedExport {
  readonly engine: string;
  readonly queryId: string | null;
  /** Iterate it at once and to its end (or break off): its end releases the caller's slot and writes the audit line. */
  readonly batches: AsyncIterable<readonly Row[]>;
  /** Rows handed on so far. */
  readonly rows: () => number;
}

/**
 * The list field's plan without a page: the query's own `limit` when it gives one (checked as
 * ever: not negative), every row otherwise — neither `defaultLimit` nor `maxLimit` applies. A
 * whole table asked in no order is read in the engine's own order: sorting it (for the primary
 * key's total order) would hold the whole result in the engine's memory, the one thing a stream
 * avoids. With `orderBy`, or a `limit` (whose rows must be the ones /graphql would pick), the
 * order is /graphql's, primary key last.
 */
export function planExport(dataset: Dataset, args: RowArgs, selected: ReadonlyMap<string, readonly FieldNode[]>, limits: Limits): RowQuery {
  const planned = planRows(dataset, args, selected, { ...limits, maxLimit: Number.MAX_SAFE_INTEGER });
  const unordered = !args.orderBy?.length && (args.limit === undefined || args.limit === null) && !args.offset;
  return { ...planned, limit: args.limit ?? null, orderBy: unordered ? [] : planned.orderBy };
}

/**
 * Opens an export down the same road as a read — partition-filter guard, the caller's Lake
 * Formation view, the router's engine, the dialect compiler, the caller's bytes budget and query
 * slots — on the engine's stream instead of `execute`, and reads the first batch, so a failure
 * to start is still an answer with a status. The engine must start answering within
 * `limits.queryTimeoutMs` (QUERY_TIMEOUT); after that the stream lasts as long as its reader.
 */
export async function openExport(planned: RowQuery, dataset: Dataset, context: PlannerContext): Promise<OpenedExport> {
  const path = dataset.name;
  checkPartitionFilter(planned, dataset, path);
  const query = applyPolicy(planned, context.views.get(dataset.name));
  const { engine } = chooseEngine(dataset, dataset, context);
  if (!isStreaming(engine)) throw new LakegateError('QUERY_FAILED', `${path}: the ${engine.name} engine cannot stream an export`);
  const dialect = context.dialects.get(engine.name);
  if (!dialect) throw new Error(`no dialect for engine "${engine.name}"`);
  const compiled = compileQuery(query, dialect);
  const guard = await guardStream(engine, path, context);
  const start = new FirstBatchDeadline(context.signal, context.limits.queryTimeoutMs);
  let facts: StreamFacts | null = null;
  let rows = 0;
  const fail = (error: unknown): unknown => (error instanceof EngineError ? engineFailure(start.timedOut ? timeout(error) : error, dataset, context) : error);
  const iterator = engine.stream(compiled, { signal: start.signal, onFacts: (told) => void (facts = told) })[Symbol.asyncIterator]();
  let first: IteratorResult<readonly Row[]>;
  try {
    first = await iterator.next();
  } catch (error) {
    start.dispose();
    guard.release();
    throw fail(error);
  }
  start.reading();
  const end = async (complete: boolean): Promise<void> => {
    start.dispose();
    guard.release();
    const known = facts as StreamFacts | null;
    await guard.charge(known?.bytesScanned ?? null);
    context.audit.info({ ...auditFields(planned, dataset, engine.name, context), queryId: known?.queryId ?? null, rows, export: true, complete }, 'engine query');
  };
  async function* batches(): AsyncGenerator<readonly Row[]> {
    let complete = false;
    try {
      let next = first;
      while (!next.done) {
        rows += next.value.length;
        yield next.value;
        next = await iterator.next();
      }
      complete = true;
    } catch (error) {
      throw fail(error);
    } finally {
      if (!complete) await iterator.return?.();
      await end(complete);
    }
  }
  return { engine: engine.name, queryId: (facts as StreamFacts | null)?.queryId ?? null, batches: batches(), rows: () => rows };
}

function timeout(error: EngineError): EngineError {
  return new EngineError('QUERY_TIMEOUT', 'the query did not start answering within its time limit (limits.queryTimeoutMs)', error.engine, error.queryId);
}

/** The stream's abort signal: the request's, and until the first batch is read, the query's time limit. */
class FirstBatchDeadline {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  timedOut = false;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly forget: () => void;

  constructor(request: AbortSignal, timeoutMs: number) {
    this.forget = request.aborted ? () => undefined : onAbort(request, () => this.controller.abort());
    if (request.aborted) this.controller.abort();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
  }

  reading(): void {
    clearTimeout(this.timer);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.forget();
  }
}
