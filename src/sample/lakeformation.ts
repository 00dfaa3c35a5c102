import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataCellsFilter, LFTagPair, PrincipalResourcePermissions, Resource } from '../policy/lf-types';
import {
  LF_CATALOG_ID,
  SAMPLE_CELLS_FILTERS,
  SAMPLE_LF_ROLES,
  SAMPLE_LF_TAGS,
  TAGGED_TABLES,
  columnTags,
  lfColumnNames,
  tableTags,
  type SampleCellsFilter,
  type SampleColumnSpec,
  type SampleGrantTarget,
  type SampleTags,
} from './lakeformation-roles';
import type { SampleTable } from './tables';

/**
 * Renders the sample lake's Lake Formation setup (lakeformation-roles.ts) as the AWS CLI prints
 * it, so the sample exercises the same import path as a real account's export:
 *
 *   aws lakeformation list-permissions        → lakeformation/list-permissions.json
 *   aws lakeformation list-data-cells-filter  → lakeformation/list-data-cells-filter.json
 *   aws lakeformation list-lf-tags            → lakeformation/list-lf-tags.json
 *   aws lakeformation get-resource-lf-tags    → lakeformation/tags/<db>.<table>.json (one per table)
 *
 * Key order and details follow the CLI: `CatalogId` on resources and tag pairs, `TableCatalogId`
 * on data cells filters, `PermissionsWithGrantOption: []`, inherited tags shown at every level.
 */

export const LF_FILES = {
  permissions: 'lakeformation/list-permissions.json',
  dataCellsFilters: 'lakeformation/list-data-cells-filter.json',
  lfTags: 'lakeformation/list-lf-tags.json',
} as const;

export function lfTagsFile(table: SampleTable): string {
  return `lakeformation/tags/${table.database}.${table.name}.json`;
}

/** A tag pair as the CLI prints it in tag listings (with the catalog it lives in). */
export interface CliLFTagPair extends LFTagPair {
  readonly CatalogId: string;
}

export interface ListPermissionsJson {
  readonly PrincipalResourcePermissions: readonly PrincipalResourcePermissions[];
}

export interface ListDataCellsFilterJson {
  readonly DataCellsFilters: readonly DataCellsFilter[];
}

export interface ListLFTagsJson {
  readonly LFTags: readonly CliLFTagPair[];
}

export interface GetResourceLFTagsJson {
  readonly LFTagOnDatabase: readonly CliLFTagPair[];
  readonly LFTagsOnTable: readonly CliLFTagPair[];
  readonly LFTagsOnColumns: readonly { readonly Name: string; readonly LFTags: readonly CliLFTagPair[] }[];
}

function columnSelection(spec: SampleColumnSpec): Pick<DataCellsFilter, 'ColumnNames' | 'ColumnWildcard'> {
  return 'names' in spec ? { ColumnNames: [...spec.names] } : { ColumnWildcard: { ExcludedColumnNames: [...spec.excluded] } };
}

function resource(target: SampleGrantTarget): Resource {
  switch (target.kind) {
    case 'database':
      return { Database: { CatalogId: LF_CATALOG_ID, Name: target.database } };
    case 'table':
      return { Table: { CatalogId: LF_CATALOG_ID, DatabaseName: target.table.database, Name: target.table.name } };
    case 'tableWildcard':
      return { Table: { CatalogId: LF_CATALOG_ID, DatabaseName: target.database, TableWildcard: {} } };
    case 'columns':
      return {
        TableWithColumns: { CatalogId: LF_CATALOG_ID, DatabaseName: target.table.database, Name: target.table.name, ...columnSelection(target.columns) },
      };
    case 'cellsFilter':
      return {
        DataCellsFilter: { TableCatalogId: LF_CATALOG_ID, DatabaseName: target.filter.table.database, TableName: target.filter.table.name, Name: target.filter.name },
      };
    case 'tagPolicy':
      return {
        LFTagPolicy: {
          CatalogId: LF_CATALOG_ID,
          ResourceType: target.resourceType,
          Expression: Object.entries(target.expression).map(([key, values]) => ({ TagKey: key, TagValues: [...values] })),
        },
      };
  }
}

export function listPermissionsJson(): ListPermissionsJson {
  return {
    PrincipalResourcePermissions: SAMPLE_LF_ROLES.flatMap((role) =>
      role.grants.map((grant) => ({
        Principal: { DataLakePrincipalIdentifier: role.principal },
        Resource: resource(grant.target),
        Permissions: [...grant.permissions],
        PermissionsWithGrantOption: [],
      })),
    ),
  };
}

function dataCellsFilterJson(filter: SampleCellsFilter): DataCellsFilter {
  return {
    TableCatalogId: LF_CATALOG_ID,
    DatabaseName: filter.table.database,
    TableName: filter.table.name,
    Name: filter.name,
    RowFilter: filter.rowFilter === null ? { AllRowsWildcard: {} } : { FilterExpression: filter.rowFilter },
    ...columnSelection(filter.columns),
  };
}

export function listDataCellsFilterJson(): ListDataCellsFilterJson {
  return { DataCellsFilters: SAMPLE_CELLS_FILTERS.map(dataCellsFilterJson) };
}

export function listLFTagsJson(): ListLFTagsJson {
  return { LFTags: SAMPLE_LF_TAGS.map((tag) => ({ CatalogId: LF_CATALOG_ID, TagKey: tag.key, TagValues: [...tag.values] })) };
}

/** Tag pairs in definition order, so every file lists keys the same way. */
function pairs(assigned: SampleTags): CliLFTagPair[] {
  return SAMPLE_LF_TAGS.flatMap((tag) => {
    const value = assigned[tag.key];
    return value === undefined ? [] : [{ CatalogId: LF_CATALOG_ID, TagKey: tag.key, TagValues: [value] }];
  });
}

/**
 * `get-resource-lf-tags --resource '{"Table": ...}'`: without `--show-assigned-lf-tags` the CLI
 * shows effective tags, so the table and each column repeat what they inherit.
 */
export function getResourceLFTagsJson(table: SampleTable): GetResourceLFTagsJson {
  return {
    LFTagOnDatabase: pairs(tableTags(table)),
    LFTagsOnTable: pairs(tableTags(table)),
    LFTagsOnColumns: lfColumnNames(table).map((name) => ({ Name: name, LFTags: pairs(columnTags(table, name)) })),
  };
}

export interface LakeFormationExport {
  /** Relative to the lake root. */
  readonly file: string;
  readonly document: unknown;
}

export function lakeFormationExports(): LakeFormationExport[] {
  return [
    { file: LF_FILES.permissions, document: listPermissionsJson() },
    { file: LF_FILES.dataCellsFilters, document: listDataCellsFilterJson() },
    { file: LF_FILES.lfTags, document: listLFTagsJson() },
    ...TAGGED_TABLES.map((table) => ({ file: lfTagsFile(table), document: getResourceLFTagsJson(table) })),
  ];
}

/** The `lakeFormation.files.resourceTags` entries of lakegate.yaml. */
export function lfResourceTagFiles(): { table: string; file: string }[] {
  return TAGGED_TABLES.map((table) => ({ table: `${table.database}.${table.name}`, file: lfTagsFile(table) }));
}

/** Writes every export under `root`, indented like the CLI's JSON output. */
export async function writeLakeFormationExports(root: string): Promise<void> {
  for (const entry of lakeFormationExports()) {
    const file = path.join(root, entry.file);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(entry.document, null, 4)}\n`);
  }
}
