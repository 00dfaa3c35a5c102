import type DataLoader from 'dataloader';
import type { Catalog } from '../catalog/types';
import type { Engine, Row } from '../datasources/types';

export interface Limits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
  readonly queryTimeoutMs: number;
}

/** One engine query as reported in `extensions.lakegate.queries`. */
export interface QueryRecord {
  readonly path: string;
  readonly engine: string;
  readonly queryId: string | null;
  readonly reason: string;
  readonly durationMs: number;
  readonly bytesScanned: number | null;
  readonly rows: number;
  readonly cache: 'none';
}

export interface QueryLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

/** What the planner needs of a request. The server builds one per request. */
export interface PlannerContext {
  readonly catalog: Catalog;
  readonly engines: ReadonlyMap<string, Engine>;
  readonly limits: Limits;
  readonly signal: AbortSignal;
  readonly logger: QueryLogger;
  readonly queries: QueryRecord[];
  /** Relation loaders for this request only, keyed by relation, arguments and selection. */
  readonly loaders: Map<string, DataLoader<string, readonly Row[]>>;
}
