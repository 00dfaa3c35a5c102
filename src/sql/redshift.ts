import type { ValueType } from '../query/types';
import { parameterText } from './literals';
import { dateTrunc, qualifiedTableName, quoteIdentifier, typeName, type TypeNames } from './standard';
import type { BoundParam, Dialect } from './types';


const REDSHIFT_TYPES: TypeNames = {
  string: 'VARCHAR', boolean: 'BOOLEAN', int: 'INTEGER', bigint: 'BIGINT', float: 'REAL', double: 'DOUBLE PRECISION', date: 'DATE', timestamp: 'TIMESTAMP',
};

/**
 * Redshift, in two parameter forms that share everything else: the Data API (named `:p1`,
 * `:p2`, ..., every value sent as a string) and the PostgreSQL wire through `pg` (`$1`, `$2`,
 * ...). In both, the CAST around a placeholder decides the value's type. Strings stay bare:
 * a bare `CAST(... AS VARCHAR)` would mean VARCHAR(256) on Redshift.
 */
function redshiftDialect(name: string, marker: (position: number) => string): Dialect {
  return {
    name,
    quoteIdentifier,
    tableName: qualifiedTableName,
    placeholder: (index, param) => castPlaceholder(marker(index + 1), param.type),
    // Spectrum nested data and SUPER navigation: a dot path, each part quoted.
    structField: (base, field) => `${base}.${quoteIdentifier(field)}`,
    timeTrunc: dateTrunc,
    doubleType: REDSHIFT_TYPES.double,
    exactIntegerSumType: 'DECIMAL(38,0)',
    // LIMIT/OFFSET must be constants: a bound LIMIT fails ("Not implemented", aws/amazon-redshift-jdbc-driver#37).
    inlineRowCounts: true,
    // Redshift lexes strings as PostgreSQL 8.0 did (no standard_conforming_strings): '\\' is one backslash, '\' never ends.
    likeEscape: "'\\\\'",
  };
}

export const redshiftPgDialect: Dialect = redshiftDialect('redshift-pg', (position) => `$${position}`);

const dataApiDialect = redshiftDialect('redshift-data', (position) => `:p${position}`);

/**
 * The Data API rejects an empty parameter value (SqlParameter.value has minimum length 1), so
 * the empty string is written as the constant `''` and left out of `redshiftDataParameters`.
 */
export const redshiftDataDialect: Dialect = {
  ...dataApiDialect,
  placeholder: (index, param) => (isEmptyString(param) ? "''" : dataApiDialect.placeholder(index, param)),
};

/** The Data API's `Parameters` for a query compiled with `redshiftDataDialect`, named as its placeholders. */
export function redshiftDataParameters(params: readonly BoundParam[]): { name: string; value: string }[] {
  return params.flatMap((param, index) => (isEmptyString(param) ? [] : [{ name: `p${index + 1}`, value: parameterText(param) }]));
}

function isEmptyString(param: BoundParam): boolean {
  return param.type.kind === 'string' && param.value === '';
}

function castPlaceholder(marker: string, type: ValueType): string {
  const sqlType = redshiftType(type);
  return sqlType ? `CAST(${marker} AS ${sqlType})` : marker;
}


function redshiftType(type: ValueType): string | null {
  return type.kind === 'string' ? null : typeName(type, REDSHIFT_TYPES);
}
