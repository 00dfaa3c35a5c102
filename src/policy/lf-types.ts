/**
 * Lake Formation as Lakegate reads it: the shapes the AWS CLI prints (and the SDK returns) for
 * list-permissions, list-data-cells-filter, get-resource-lf-tags and list-lf-tags, trimmed to
 * the keys that decide reads. Files and the live API both produce a `LakeFormationSnapshot`.
 */

export interface LFTagPair {
  readonly TagKey: string;
  readonly TagValues: readonly string[];
}

export interface DatabaseResource {
  readonly CatalogId?: string;
  readonly Name: string;
}

export interface TableResource {
  readonly CatalogId?: string;
  readonly DatabaseName: string;
  /** Absent when `TableWildcard` is present (all tables of the database). */
  readonly Name?: string;
  readonly TableWildcard?: Record<string, never>;
}

export interface TableWithColumnsResource {
  readonly CatalogId?: string;
  readonly DatabaseName: string;
  readonly Name: string;
  readonly ColumnNames?: readonly string[];
  readonly ColumnWildcard?: { readonly ExcludedColumnNames?: readonly string[] };
}

export interface DataCellsFilterResource {
  readonly TableCatalogId?: string;
  readonly DatabaseName: string;
  readonly TableName: string;
  readonly Name: string;
}

export interface LFTagPolicyResource {
  readonly CatalogId?: string;
  readonly ResourceType: 'DATABASE' | 'TABLE';
  readonly Expression: readonly LFTagPair[];
}

export interface LFTagResource {
  readonly CatalogId?: string;
  readonly TagKey: string;
  readonly TagValues: readonly string[];
}

/** Exactly one key is set, as in the AWS shape. */
export interface Resource {
  readonly Catalog?: Record<string, never>;
  readonly Database?: DatabaseResource;
  readonly Table?: TableResource;
  readonly TableWithColumns?: TableWithColumnsResource;
  readonly DataCellsFilter?: DataCellsFilterResource;
  readonly LFTagPolicy?: LFTagPolicyResource;
  readonly LFTag?: LFTagResource;
  readonly DataLocation?: { readonly ResourceArn: string; readonly CatalogId?: string };
}

export interface PrincipalResourcePermissions {
  readonly Principal: { readonly DataLakePrincipalIdentifier: string };
  readonly Resource: Resource;
  readonly Permissions: readonly string[];
  readonly PermissionsWithGrantOption?: readonly string[];
}

export interface DataCellsFilter {
  readonly TableCatalogId?: string;
  readonly DatabaseName: string;
  readonly TableName: string;
  readonly Name: string;
  readonly RowFilter?: { readonly FilterExpression?: string; readonly AllRowsWildcard?: Record<string, never> };
  readonly ColumnNames?: readonly string[];
  readonly ColumnWildcard?: { readonly ExcludedColumnNames?: readonly string[] };
}

/** `get-resource-lf-tags` output for one table, with the table it was asked about. */
export interface TableTags {
  /** The Data Catalog of the table when the export names it (a list of outputs may); else the served one. */
  readonly CatalogId?: string;
  readonly database: string;
  readonly table: string;
  readonly LFTagOnDatabase?: readonly LFTagPair[];
  readonly LFTagsOnTable?: readonly LFTagPair[];
  readonly LFTagsOnColumns?: readonly { readonly Name: string; readonly LFTags: readonly LFTagPair[] }[];
}

export interface LFTagDefinition {
  readonly CatalogId?: string;
  readonly TagKey: string;
  readonly TagValues: readonly string[];
}

export interface LakeFormationSnapshot {
  readonly permissions: readonly PrincipalResourcePermissions[];
  readonly dataCellsFilters: readonly DataCellsFilter[];
  readonly tableTags: readonly TableTags[];
  readonly tagDefinitions: readonly LFTagDefinition[];
}
