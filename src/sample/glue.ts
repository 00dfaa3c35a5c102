import { AWS_ACCOUNT } from './vocabulary';
import { PARTITION_KEY, tableLocation, type SampleColumn, type SampleFormat, type SampleTable } from './tables';

/**
 * Renders the sample tables as `aws glue get-tables --database-name DB` prints them, so the
 * sample exercises the same import path as a real exported catalog.
 */

export interface GlueColumnJson {
  readonly Name: string;
  readonly Type: string;
  readonly Comment: string;
}

export interface GlueTableJson {
  readonly Name: string;
  readonly DatabaseName: string;
  readonly Description: string;
  readonly CreateTime: string;
  readonly UpdateTime: string;
  readonly Retention: number;
  readonly StorageDescriptor: {
    readonly Columns: readonly GlueColumnJson[];
    readonly Location: string;
    readonly InputFormat: string;
    readonly OutputFormat: string;
    readonly Compressed: boolean;
    readonly NumberOfBuckets: number;
    readonly SerdeInfo: { readonly SerializationLibrary: string; readonly Parameters: Readonly<Record<string, string>> };
    readonly BucketColumns: readonly string[];
    readonly SortColumns: readonly unknown[];
    readonly Parameters: Readonly<Record<string, string>>;
    readonly StoredAsSubDirectories: boolean;
  };
  readonly PartitionKeys: readonly GlueColumnJson[];
  readonly TableType: 'EXTERNAL_TABLE';
  readonly Parameters: Readonly<Record<string, string>>;
  readonly CreatedBy: string;
  readonly IsRegisteredWithLakeFormation: boolean;
  readonly CatalogId: string;
  readonly VersionId: string;
}

export interface GlueGetTablesJson {
  readonly TableList: readonly GlueTableJson[];
}

interface FormatClasses {
  readonly input: string;
  readonly output: string;
  readonly serde: string;
}

/** The Hive classes Glue records for each format (what a crawler or Athena DDL writes). */
const FORMAT_CLASSES: Readonly<Record<SampleFormat, FormatClasses>> = {
  parquet: {
    input: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  },
  json: {
    input: 'org.apache.hadoop.mapred.TextInputFormat',
    output: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    serde: 'org.openx.data.jsonserde.JsonSerDe',
  },
};

/** Fixed, so regenerating the lake gives byte-identical catalog files. */
const CREATED = '2024-04-01T00:00:00+00:00';

function glueColumn(column: SampleColumn): GlueColumnJson {
  return { Name: column.name, Type: column.type, Comment: column.comment };
}

function serdeParameters(table: SampleTable): Record<string, string> {
  return table.format === 'json'
    ? { paths: table.columns.map((column) => column.name).join(',') }
    : { 'serialization.format': '1' };
}

function tableParameters(table: SampleTable): Record<string, string> {
  const base = { classification: table.format, EXTERNAL: 'TRUE' };
  return table.format === 'parquet' ? { ...base, 'parquet.compression': 'SNAPPY' } : base;
}

export function glueTableJson(table: SampleTable): GlueTableJson {
  const classes = FORMAT_CLASSES[table.format];
  return {
    Name: table.name,
    DatabaseName: table.database,
    Description: table.description,
    CreateTime: CREATED,
    UpdateTime: CREATED,
    Retention: 0,
    StorageDescriptor: {
      Columns: table.columns.map(glueColumn),
      Location: tableLocation(table),
      InputFormat: classes.input,
      OutputFormat: classes.output,
      Compressed: false,
      NumberOfBuckets: -1,
      SerdeInfo: { SerializationLibrary: classes.serde, Parameters: serdeParameters(table) },
      BucketColumns: [],
      SortColumns: [],
      Parameters: {},
      StoredAsSubDirectories: false,
    },
    PartitionKeys: table.partitioned ? [glueColumn(PARTITION_KEY)] : [],
    TableType: 'EXTERNAL_TABLE',
    Parameters: tableParameters(table),
    CreatedBy: `arn:aws:iam::${AWS_ACCOUNT}:role/LakegateSampleAdmin`,
    IsRegisteredWithLakeFormation: true,
    CatalogId: AWS_ACCOUNT,
    VersionId: '0',
  };
}

/** The `get-tables` document of one database. */
export function glueGetTablesJson(database: string, tables: readonly SampleTable[]): GlueGetTablesJson {
  return { TableList: tables.filter((table) => table.database === database).map(glueTableJson) };
}
