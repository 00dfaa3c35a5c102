import type { LiteralValue, TableRef, TimeGrain, ValueType } from '../query/types';

/** A parameter as bound to an engine: the value and the type the SQL expects it to have. */
export interface BoundParam {
  readonly value: LiteralValue;
  readonly type: ValueType;
}

/** The output of compiling: SQL text with placeholders, and the values in placeholder order. */
export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly BoundParam[];
}

/**
 * What differs between engines. Everything else (the shape of SELECT, WHERE, ORDER BY,
 * windows, aggregates) is shared by the base compiler.
 */
export interface Dialect {
  readonly name: string;
  quoteIdentifier(name: string): string;
  tableName(ref: TableRef): string;
  /** The placeholder text for the `index`-th parameter (0-based), cast to its type if needed. */
  placeholder(index: number, param: BoundParam): string;
  /** Access to a field of a struct-valued expression. */
  structField(base: string, field: string): string;
  timeTrunc(grain: TimeGrain, expression: string): string;
  /** The engine's double-precision type: averages are taken over it so every engine gives the same answer. */
  readonly doubleType: string;
  /** A type wide enough that summing 64-bit integers neither overflows nor loses a digit (HUGEINT, DECIMAL(38,0)). */
  readonly exactIntegerSumType: string;
  /** LIMIT/OFFSET as inline integers (the compiler checks them), for engines that take only a constant there (Athena, Redshift). */
  readonly inlineRowCounts?: boolean;
  /** Rewrites a predicate in the SELECT list (a column mask); Athena takes `?` only inside a WHERE clause. */
  readonly selectListPredicate?: (predicate: string) => string;
  /** The SQL literal naming backslash as the LIKE escape character; default `'\'`. */
  readonly likeEscape?: string;
}
