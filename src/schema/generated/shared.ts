import {
  GraphQLBoolean, GraphQLEnumType, GraphQLFloat, GraphQLInputObjectType, GraphQLInt, GraphQLList, GraphQLNonNull,
  GraphQLString, type GraphQLInputFieldConfigMap, type GraphQLInputType, type GraphQLOutputType, type GraphQLScalarType,
} from 'graphql';
import type { ValueType } from '../../query/types';
import { BigIntScalar, DateScalar, DateTimeScalar, DecimalScalar } from '../scalars';

/** Types every dataset shares: scalar mapping, per-scalar filters, order directions, grains. */

export function scalarFor(value: ValueType): GraphQLScalarType {
  switch (value.kind) {
    case 'string':
      return GraphQLString;
    case 'boolean':
      return GraphQLBoolean;
    case 'int':
      return GraphQLInt;
    case 'bigint':
      return BigIntScalar;
    case 'float':
    case 'double':
      return GraphQLFloat;
    case 'decimal':
      return DecimalScalar;
    case 'date':
      return DateScalar;
    case 'timestamp':
      return DateTimeScalar;
  }
}

export const OrderDirection = new GraphQLEnumType({
  name: 'OrderDirection',
  description: 'Sort direction. ASC and DESC put nulls last; the _NULLS_ variants say where nulls go.',
  values: {
    ASC: { value: { direction: 'asc', nulls: 'last' }, description: 'Ascending, nulls last.' },
    DESC: { value: { direction: 'desc', nulls: 'last' }, description: 'Descending, nulls last.' },
    ASC_NULLS_FIRST: { value: { direction: 'asc', nulls: 'first' }, description: 'Ascending, nulls first.' },
    ASC_NULLS_LAST: { value: { direction: 'asc', nulls: 'last' }, description: 'Ascending, nulls last.' },
    DESC_NULLS_FIRST: { value: { direction: 'desc', nulls: 'first' }, description: 'Descending, nulls first.' },
    DESC_NULLS_LAST: { value: { direction: 'desc', nulls: 'last' }, description: 'Descending, nulls last.' },
  },
});

export const TimeGrain = new GraphQLEnumType({
  name: 'TimeGrain',
  description: 'Truncation grain for a time bucket (UTC; weeks start on Monday).',
  values: {
    HOUR: { value: 'hour' },
    DAY: { value: 'day' },
    WEEK: { value: 'week' },
    MONTH: { value: 'month' },
    QUARTER: { value: 'quarter' },
    YEAR: { value: 'year' },
  },
});

const filterCache = new Map<string, GraphQLInputObjectType>();

/** `StringFilter`, `DecimalFilter`, ...: the operators a scalar column supports. */
export function scalarFilter(value: ValueType): GraphQLInputObjectType {
  const scalar = scalarFor(value);
  const name = `${scalar.name}Filter`;
  const cached = filterCache.get(name);
  if (cached) return cached;
  const list = new GraphQLList(new GraphQLNonNull(scalar));
  const fields: GraphQLInputFieldConfigMap = {
    eq: { type: scalar, description: 'Equal to.' },
    ne: { type: scalar, description: 'Not equal to (rows where the value is null do not match).' },
  };
  if (value.kind !== 'boolean') {
    Object.assign(fields, {
      gt: { type: scalar, description: 'Greater than.' },
      gte: { type: scalar, description: 'Greater than or equal to.' },
      lt: { type: scalar, description: 'Less than.' },
      lte: { type: scalar, description: 'Less than or equal to.' },
      in: { type: list, description: 'Equal to one of these values.' },
      notIn: { type: list, description: 'Equal to none of these values (null values do not match).' },
    });
  }
  if (value.kind === 'string') {
    Object.assign(fields, {
      like: { type: GraphQLString, description: 'SQL LIKE pattern, case-sensitive: `%` any run, `_` one character, `\\` escapes.' },
      notLike: { type: GraphQLString, description: 'Does not match the LIKE pattern (null values do not match).' },
    });
  }
  fields['isNull'] = { type: GraphQLBoolean, description: 'true: the value is null; false: it is not.' };
  const filter = new GraphQLInputObjectType({ name, description: `Conditions on a ${scalar.name} value; several are ANDed.`, fields });
  filterCache.set(name, filter);
  return filter;
}

export const limitArgs = {
  limit: { type: GraphQLInt, description: 'Maximum rows to return (default and maximum are configured; above the maximum is an error).' },
  offset: { type: GraphQLInt, description: 'Rows to skip, for paging.' },
} as const;

export function nonNullList<T extends GraphQLOutputType | GraphQLInputType>(type: T): GraphQLNonNull<GraphQLList<GraphQLNonNull<T>>> {
  return new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));
}

