import { GraphQLInputObjectType, GraphQLList, GraphQLNonNull, type GraphQLInputFieldConfigMap } from 'graphql';
import { scalarColumns } from '../../catalog/columns';
import { toCamelCase } from '../../catalog/naming';
import type { Dataset, HiveType } from '../../catalog/types';
import { typeNames } from './names';
import { OrderDirection, scalarFilter } from './shared';

export interface DatasetInputs {
  readonly filter: GraphQLInputObjectType;
  /** null when the dataset has no orderable column. */
  readonly orderBy: GraphQLInputObjectType | null;
}

/** `<Type>Filter` (columns, struct fields by nesting, and/or/not) and `<Type>OrderBy`. */
export function buildDatasetInputs(dataset: Dataset): DatasetInputs {
  const filter: GraphQLInputObjectType = new GraphQLInputObjectType({
    name: typeNames.filter(dataset.typeName),
    description: `Conditions on ${dataset.typeName} rows. Fields set side by side are ANDed; \`and\`, \`or\` and \`not\` combine filters. A null value never matches a comparison.`,
    fields: () => ({
      ...Object.fromEntries(dataset.columns.flatMap((col) => {
        const type = filterType(col.type, typeNames.struct(dataset.typeName, col.field));
        return type ? [[col.field, { type, description: col.description || undefined }]] : [];
      })),
      and: { type: new GraphQLList(new GraphQLNonNull(filter)), description: 'All of these hold.' },
      or: { type: new GraphQLList(new GraphQLNonNull(filter)), description: 'At least one of these holds.' },
      not: { type: filter, description: 'This does not hold.' },
    }),
  });
  const orderable = scalarColumns(dataset);
  const orderBy = orderable.length === 0 ? null : new GraphQLInputObjectType({
    name: typeNames.orderBy(dataset.typeName),
    description: 'One sort key per list item, e.g. `[{ amount: DESC }, { id: ASC }]`. The primary key is appended as a tie-breaker so pages are stable.',
    fields: Object.fromEntries(orderable.map((col) => [col.field, { type: OrderDirection }])),
  });
  return { filter, orderBy };
}

/** Scalars get their operator input; structs a nested input of their filterable fields. */
function filterType(type: HiveType, structName: string): GraphQLInputObjectType | null {
  if (type.kind === 'scalar') return scalarFilter(type.value);
  if (type.kind !== 'struct') return null;
  const fields: GraphQLInputFieldConfigMap = {};
  for (const field of type.fields) {
    const sub = filterType(field.type, typeNames.struct(structName, field.name));
    if (sub) fields[toCamelCase(field.name)] = { type: sub };
  }
  if (Object.keys(fields).length === 0) return null;
  return new GraphQLInputObjectType({ name: typeNames.filter(structName), description: 'Conditions on fields of a struct; several are ANDed.', fields });
}
