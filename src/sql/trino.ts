import { dateTrunc, qualifiedTableName, quoteIdentifier } from './standard';
import type { Dialect } from './types';

/**
 * Athena (engine v3, Trino SQL). Values travel as `ExecutionParameters`, SQL literal text typed
 * by `athenaExecutionParameter`, so a placeholder is a bare `?` (Athena wants a cast in the
 * parameter, not around the `?`). Athena takes `?` only in WHERE clauses ("Use parameterized
 * queries", Considerations and limitations): row counts are written inline and a column mask's
 * predicate moves into a WHERE inside `EXISTS`, so its values stay parameters.
 */
export const athenaDialect: Dialect = {
  name: 'athena',
  quoteIdentifier,
  tableName: qualifiedTableName,
  placeholder: () => '?',
  structField: (base, field) => `${base}.${quoteIdentifier(field)}`,
  // date_trunc('week', ...) starts weeks on Monday (ISO), as DuckDB and Redshift do.
  doubleType: 'DOUBLE',
  exactIntegerSumType: 'DECIMAL(38,0)',
  timeTrunc: dateTrunc,
  inlineRowCounts: true,
  selectListPredicate: (predicate) => `EXISTS (SELECT 1 WHERE ${predicate})`,
};
