import type { CompiledQuery } from '../sql/types';

/** A row as engines hand it on: JSON-like values, bigint/decimal as strings, no engine objects. */
export type RowValue = string | number | boolean | null | readonly RowValue[] | { readonly [key: string]: RowValue };
export type Row = Readonly<Record<string, RowValue>>;

export interface QueryStats {
  readonly queryId: string;
  readonly durationMs: number;
  /** Bytes the engine scanned, where the engine reports it (Athena); null otherwise. */
  readonly bytesScanned: number | null;
  readonly rows: number;
}

export interface QueryResult {
  readonly rows: readonly Row[];
  readonly stats: QueryStats;
}

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  /** Epoch milliseconds after which the engine query is cancelled and QUERY_TIMEOUT raised. */
  readonly deadline?: number;
}

export interface EngineCapabilities {
  readonly cancellable: boolean;
  readonly reportsBytesScanned: boolean;
}

/** The narrow interface every engine adapter implements; the router reads capabilities, not names. */
export interface Engine {
  readonly name: string;
  readonly dialect: string;
  readonly capabilities: EngineCapabilities;
  execute(query: CompiledQuery, options?: ExecuteOptions): Promise<QueryResult>;
  health(): Promise<boolean>;
  close(): Promise<void>;
}
