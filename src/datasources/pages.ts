import type { CompiledQuery } from '../sql/types';
import type { Engine, QueryResult, QueryStats } from './types';

/**
 * Where the next page of an engine result starts: the engine's own page token (null: the start
 * of the result) and how many rows of that engine page were already handed out, for engines
 * whose page sizes do not line up with the caller's `first`.
 */
export interface ResultPosition {
  readonly token: string | null;
  readonly skip: number;
}

/** One page of an engine result: its rows, where the next page starts (null: none), and what it cost. */
export interface ResultPage extends QueryResult {
  readonly next: ResultPosition | null;
  readonly stats: QueryStats;
}

export interface PageOptions {
  readonly first: number;
  readonly signal?: AbortSignal;
  readonly deadline?: number;
}

/**
 * An engine that keeps a query's result and hands it out in pages (Athena GetQueryResults, the
 * Redshift Data API GetStatementResult): the first page runs the query once, every later page is
 * read from that same result by its engine query id, never by running the query again.
 */
export interface PagedEngine extends Engine {
  /** Runs `query` once and reads its first `first` rows. */
  executePage(query: CompiledQuery, options: PageOptions): Promise<ResultPage>;
  /** Reads the next `first` rows of the result of engine query `queryId`, from `position`. */
  fetchPage(queryId: string, position: ResultPosition, options: PageOptions): Promise<ResultPage>;
}

/**
 * True when `engine` says it pages its results (`capabilities.resultPages`) and really has the
 * methods: a wrapper that copies the capabilities but not the methods is not.
 */
export function isPaged(engine: Engine): engine is PagedEngine {
  const candidate = engine as Partial<PagedEngine>;
  return engine.capabilities.resultPages === true
    && typeof candidate.executePage === 'function'
    && typeof candidate.fetchPage === 'function';
}
