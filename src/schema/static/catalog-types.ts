import { Field, Float, Int, ObjectType } from 'type-graphql';

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

@ObjectType({ description: 'A threshold a KPI value may cross (for alerts).' })
export class KpiThresholdInfo {
  @Field(() => Float, { nullable: true, description: 'Crossed when the value rises above this.' })
  above!: number | null;

  @Field(() => Float, { nullable: true, description: 'Crossed when the value falls below this.' })
  below!: number | null;

  @Field(() => String, { nullable: true, description: 'The dimension values it applies to, as JSON (`{"channel":"web"}`); null: every point.' })
  dimensions!: string | null;
}

@ObjectType({ description: 'A curated KPI you may read: one field under `kpis`.' })
export class KpiInfo {
  @Field({ description: 'Field name under `kpis`.' })
  name!: string;

  @Field({ description: 'What it measures.' })
  description!: string;

  @Field({ description: 'Unit of its values, e.g. `JPY`, `count`, `ratio`.' })
  unit!: string;

  @Field(() => String, { nullable: true, description: 'Display format hint for clients.' })
  format!: string | null;

  @Field({ description: 'The dataset it is computed from.' })
  dataset!: string;

  @Field({ description: 'The measure, e.g. `sum(amount)` or `ratio(revenue, orders)`.' })
  measure!: string;

  @Field({ description: 'The time column.' })
  time!: string;

  @Field(() => [String], { description: 'Values of its dimension enum (`groupBy`), e.g. `CHANNEL`.' })
  dimensions!: string[];

  @Field(() => [String], { description: 'Grains it allows, e.g. `DAY`.' })
  grains!: string[];

  @Field({ description: 'Default range when `from`/`to` are left out, as an ISO-8601 duration.' })
  defaultRange!: string;

  @Field(() => Int, { description: 'Answers are fresh within this many seconds (served from the cache meanwhile).' })
  freshnessSeconds!: number;

  @Field({ description: 'The engine it is read from first.' })
  engine!: string;

  @Field({ description: 'Whether it is SLA-bound (read from the SLA engine).' })
  sla!: boolean;

  @Field(() => [KpiThresholdInfo])
  thresholds!: KpiThresholdInfo[];
}

@ObjectType({ description: 'What this caller may query.' })
export class CatalogInfo {
  @Field(() => [DatasetInfo])
  datasets!: DatasetInfo[];

  @Field(() => [KpiInfo], { description: 'The KPIs you may read.' })
  kpis!: KpiInfo[];
}
