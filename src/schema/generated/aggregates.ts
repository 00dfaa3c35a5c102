import {
  GraphQLEnumType, GraphQLFloat, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLObjectType,
  type GraphQLFieldConfigArgumentMap, type GraphQLFieldConfigMap, type GraphQLOutputType,
} from 'graphql';
import { isNumeric, isOrdered, isTemporal, scalarColumns } from '../../catalog/columns';
import { toScreamingSnakeCase } from '../../catalog/naming';
import type { Dataset, DatasetColumn } from '../../catalog/types';
import type { ValueType } from '../../query/types';
import { BigIntScalar, DecimalScalar } from '../scalars';
import type { DatasetInputs } from './inputs';
import { typeNames } from './names';
import { limitArgs, nonNullList, OrderDirection, scalarFor, TimeGrain } from './shared';

type Scalar = DatasetColumn & { type: { kind: 'scalar'; value: ValueType } };

interface MeasureGroupSpec {
  readonly group: 'countDistinct' | 'sum' | 'avg' | 'min' | 'max';
  readonly typeGroup: string;
  readonly description: string;
  readonly columns: (columns: readonly Scalar[]) => readonly Scalar[];
  readonly type: (value: ValueType) => GraphQLOutputType;
}

/** min and max share one type (`<Type>Extremes`); the other groups have their own. */
const MEASURE_GROUPS: readonly MeasureGroupSpec[] = [
  { group: 'countDistinct', typeGroup: 'distinctCounts', description: 'Number of distinct non-null values per column.', columns: (c) => c, type: () => BigIntScalar },
  { group: 'sum', typeGroup: 'sums', description: 'Sum per numeric column (exact for integers and decimals).', columns: (c) => c.filter((col) => isNumeric(col.type.value)), type: sumType },
  { group: 'avg', typeGroup: 'averages', description: 'Average per numeric column, as a float.', columns: (c) => c.filter((col) => isNumeric(col.type.value)), type: () => GraphQLFloat },
  { group: 'min', typeGroup: 'extremes', description: 'Smallest value per column.', columns: (c) => c.filter((col) => isOrdered(col.type.value)), type: scalarFor },
  { group: 'max', typeGroup: 'extremes', description: 'Largest value per column.', columns: (c) => c.filter((col) => isOrdered(col.type.value)), type: scalarFor },
];

function sumType(value: ValueType): GraphQLOutputType {
  if (value.kind === 'decimal') return DecimalScalar;
  return value.kind === 'int' || value.kind === 'bigint' ? BigIntScalar : GraphQLFloat;
}

export interface AggregateField {
  readonly type: GraphQLOutputType;
  readonly args: GraphQLFieldConfigArgumentMap;
}

/** The `<dataset>Aggregate` field's result type and arguments. */
export function buildAggregateField(dataset: Dataset, inputs: DatasetInputs): AggregateField {
  const type = dataset.typeName;
  const columns = scalarColumns(dataset) as Scalar[];
  const fields: GraphQLFieldConfigMap<unknown, unknown> = {
    key: {
      type: new GraphQLNonNull(new GraphQLObjectType({
        name: typeNames.aggregateKey(type),
        description: 'The group this row stands for: the groupBy columns and the time bucket; other fields are null.',
        fields: Object.fromEntries(columns.map((col) => [col.field, { type: scalarFor(col.type.value), description: col.description || undefined }])),
      })),
    },
    count: { type: new GraphQLNonNull(BigIntScalar), description: 'Number of rows in the group.' },
  };
  const orderFields: Record<string, { type: GraphQLInputObjectType | GraphQLEnumType; description?: string }> = {
    count: { type: OrderDirection },
    ...(inputs.orderBy ? { key: { type: inputs.orderBy, description: 'Order by a group key (it must be in groupBy or timeGroup).' } } : {}),
  };
  const groupTypes = new Map<string, { object: GraphQLObjectType; order: GraphQLInputObjectType }>();
  for (const spec of MEASURE_GROUPS) {
    const eligible = spec.columns(columns);
    if (eligible.length === 0) continue;
    const shared = groupTypes.get(spec.typeGroup) ?? {
      object: new GraphQLObjectType({
        name: typeNames.measureGroup(type, spec.typeGroup),
        fields: Object.fromEntries(eligible.map((col) => [col.field, { type: spec.type(col.type.value), description: col.description || undefined }])),
      }),
      order: new GraphQLInputObjectType({
        name: typeNames.measureOrderBy(type, spec.typeGroup),
        fields: Object.fromEntries(eligible.map((col) => [col.field, { type: OrderDirection }])),
      }),
    };
    groupTypes.set(spec.typeGroup, shared);
    fields[spec.group] = { type: new GraphQLNonNull(shared.object), description: spec.description };
    orderFields[spec.group] = { type: shared.order };
  }
  const aggregate = new GraphQLObjectType({
    name: typeNames.aggregate(type),
    description: `One group of ${type} rows and its measures.`,
    fields,
  });
  const orderBy = new GraphQLInputObjectType({
    name: typeNames.aggregateOrderBy(type),
    description: 'One sort key per list item: `[{ sum: { amount: DESC } }, { count: DESC }]`.',
    fields: orderFields,
  });
  return { type: nonNullList(aggregate), args: aggregateArgs(dataset, columns, inputs, orderBy) };
}

function aggregateArgs(dataset: Dataset, columns: readonly Scalar[], inputs: DatasetInputs, orderBy: GraphQLInputObjectType): GraphQLFieldConfigArgumentMap {
  const type = dataset.typeName;
  const args: GraphQLFieldConfigArgumentMap = { where: { type: inputs.filter, description: 'Rows to aggregate.' } };
  if (columns.length > 0) {
    const columnEnum = new GraphQLEnumType({
      name: typeNames.column(type),
      description: `A scalar column of ${type}.`,
      values: Object.fromEntries(columns.map((col) => [toScreamingSnakeCase(col.field), { value: col.name, description: col.description || undefined }])),
    });
    args['groupBy'] = { type: new GraphQLList(new GraphQLNonNull(columnEnum)), description: 'Columns to group by; without it the result is one row.' };
  }
  const temporal = columns.filter((col) => isTemporal(col.type.value));
  if (temporal.length > 0) {
    const timeColumn = new GraphQLEnumType({
      name: typeNames.timeColumn(type),
      values: Object.fromEntries(temporal.map((col) => [toScreamingSnakeCase(col.field), { value: col.name }])),
    });
    args['timeGroup'] = {
      type: new GraphQLInputObjectType({
        name: typeNames.timeGroup(type),
        description: 'Group by a time column truncated to a grain; the bucket start appears under `key`.',
        fields: { column: { type: new GraphQLNonNull(timeColumn) }, grain: { type: new GraphQLNonNull(TimeGrain) } },
      }),
    };
  }
  args['orderBy'] = { type: new GraphQLList(new GraphQLNonNull(orderBy)) };
  return { ...args, ...limitArgs };
}
