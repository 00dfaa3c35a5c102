/**
 * One Glue table as `aws glue get-tables --database-name DB` prints it (the shape
 * src/sample/glue.ts writes), for the test lakes that bring tables of their own.
 */
export interface GlueTableSpec {
  readonly database: string;
  readonly table: string;
  readonly description: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** e.g. `s3://test-lake/shop/items/` */
  readonly location: string;
  readonly catalogId: string;
}

const CREATED = '2024-04-01T00:00:00+00:00';

export function glueGetTables(tables: readonly GlueTableSpec[]): unknown {
  return {
    TableList: tables.map((spec) => ({
      Name: spec.table,
      DatabaseName: spec.database,
      Description: spec.description,
      CreateTime: CREATED,
      UpdateTime: CREATED,
      Retention: 0,
      StorageDescriptor: {
        Columns: spec.columns.map((col) => ({ Name: col.name, Type: col.type, Comment: `The ${col.name} column.` })),
        Location: spec.location,
        InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        Compressed: false,
        NumberOfBuckets: -1,
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
        BucketColumns: [],
        SortColumns: [],
        Parameters: {},
        StoredAsSubDirectories: false,
      },
      PartitionKeys: [],
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': 'SNAPPY' },
      CreatedBy: `arn:aws:iam::${spec.catalogId}:role/LakegateTestAdmin`,
      IsRegisteredWithLakeFormation: true,
      CatalogId: spec.catalogId,
      VersionId: '0',
    })),
  };
}
