import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A column of a dataset as the caller may read it.' })
export class ColumnInfo {
  @Field({ description: 'GraphQL field name.' })
  name!: string;

  @Field({ description: 'Column name in the lake catalog.' })
  column!: string;

  @Field({ description: 'Lake (Glue/Hive) type, e.g. `decimal(12,2)`.' })
  type!: string;

  @Field({ description: 'GraphQL type of the field, e.g. `Decimal`.' })
  graphqlType!: string;

  @Field({ description: 'Catalog description.' })
  description!: string;

  @Field({ description: 'Whether the column is a partition key (filtering on it skips files).' })
  partitionKey!: boolean;
}

@ObjectType({ description: 'A relation from one dataset to another.' })
export class RelationInfo {
  @Field({ description: 'GraphQL field name of the relation.' })
  name!: string;

  @Field({ description: 'The related dataset.' })
  dataset!: string;

  @Field({ description: '`one` (many-to-one object field) or `many` (one-to-many list field).' })
  kind!: string;
}

@ObjectType({ description: 'A curated dataset: one query field, one aggregate field.' })
export class DatasetInfo {
  @Field({ description: 'Query field name.' })
  name!: string;

  @Field({ description: 'GraphQL type name of its rows.' })
  typeName!: string;

  @Field({ description: 'Catalog description.' })
  description!: string;

  @Field({ description: 'Source table as `database.table`.' })
  table!: string;

  @Field(() => [ColumnInfo])
  columns!: ColumnInfo[];

  @Field(() => [RelationInfo])
  relations!: RelationInfo[];

  @Field(() => [String], { description: 'Engines that can serve it.' })
  engines!: string[];

  @Field({ description: 'false when you may only know the dataset exists (Lake Formation DESCRIBE): it has no query field and no columns for you.' })
  readable!: boolean;
}

@ObjectType({ description: 'A curated KPI.' })
export class KpiInfo {
  @Field()
  name!: string;

  @Field()
  description!: string;
}

@ObjectType({ description: 'What this caller may query.' })
export class CatalogInfo {
  @Field(() => [DatasetInfo])
  datasets!: DatasetInfo[];

  @Field(() => [KpiInfo], { description: 'KPIs are not available yet; the list is empty.' })
  kpis!: KpiInfo[];
}
