import path from 'node:path';
import type { GlueTable, Issue, Staged } from '../catalog/types';
import { resolveCatalogId } from '../policy/catalog-ids';
import { expandGrants, formatExpression } from '../policy/grants';
import { loadLakeFormationFiles } from '../policy/import-files';
import type { LakeFormationSnapshot } from '../policy/lf-types';
import { findUntaggedTables, type UntaggedTable } from '../policy/tag-coverage';
import type { TableRef } from '../query/types';
import type { LakeFormationConfig } from './schema';

type FilesConfig = NonNullable<LakeFormationConfig['files']>;

/** `lakeFormation` with its catalogId settled: as configured, or taken from the exports. */
export type SettledLakeFormationConfig = LakeFormationConfig & { readonly catalogId: string };

export interface LoadedLakeFormation {
  readonly settings: SettledLakeFormationConfig;
  /** The exports, read and checked; null in live mode (the server reads the API). */
  readonly snapshot: LakeFormationSnapshot | null;
}

export interface LakeFormationExports {
  readonly snapshot: LakeFormationSnapshot;
  /** `lakeFormation.catalogId`, or the one Data Catalog the exports name. */
  readonly catalogId: string;
}

export interface Checked<T> extends Staged<T | null> {
  /** Problems that do not stop start-up; with `lakeFormation.strict` they are issues instead. */
  readonly warnings: readonly Issue[];
}

export interface ExportsContext {
  /** The folder export paths are relative to. */
  readonly dir: string;
  readonly tables: readonly GlueTable[];
  /** The tables datasets serve: only their access can be lost. */
  readonly served: readonly TableRef[];
}

const GRANTS_NAMED = 3;

const LIVE_NEEDS_CATALOG_ID = 'live mode needs catalogId: the Lake Formation API is asked about that Data Catalog '
  + '(only exported files can name it for you)';

/** The `lakeFormation` section at load: live mode needs its catalogId, files are read and checked. */
export function loadLakeFormation(settings: LakeFormationConfig, context: ExportsContext): Checked<LoadedLakeFormation> {
  if (!settings.files) {
    const { catalogId } = settings;
    if (catalogId === undefined) return { value: null, issues: [{ path: 'lakeFormation.catalogId', message: LIVE_NEEDS_CATALOG_ID }], warnings: [] };
    return { value: { settings: { ...settings, catalogId }, snapshot: null }, issues: [], warnings: [] };
  }
  const exports = loadLakeFormationExports(settings, settings.files, context);
  const value = exports.value && { settings: { ...settings, catalogId: exports.value.catalogId }, snapshot: exports.value.snapshot };
  return { ...exports, value };
}

/**
 * The "import Lake Formation" stage for exported files, at start-up and on reload: reads the
 * exports, settles the Data Catalog they are enforced for, compiles their grants against the
 * Glue tables (a row filter outside the grammar is an issue) and looks for served tables that
 * LF-Tag grants could reach but no tag export covers. Issues at a configuration path carry no
 * file: the caller knows which configuration it read.
 */
export function loadLakeFormationExports(settings: LakeFormationConfig, files: FilesConfig, context: ExportsContext): Checked<LakeFormationExports> {
  const read = loadLakeFormationFiles(files, context.dir);
  if (!read.value) return { value: null, issues: read.issues, warnings: [] };
  const snapshot = read.value;
  const resolved = resolveCatalogId(settings.catalogId, snapshot);
  if (!resolved.ok) return { value: null, issues: [{ path: 'lakeFormation.catalogId', message: resolved.error }], warnings: [] };
  const filtersFile = path.resolve(context.dir, files.dataCellsFilters ?? files.permissions);
  const grantIssues = expandGrants(snapshot, context.tables, resolved.catalogId).issues.map((issue) => ({ ...issue, file: issue.file ?? filtersFile }));
  const untagged = findUntaggedTables(snapshot, context.served, resolved.catalogId).map(untaggedIssue);
  const issues = [...grantIssues, ...(settings.strict ? untagged : [])];
  return {
    value: issues.length === 0 ? { snapshot, catalogId: resolved.catalogId } : null,
    issues,
    warnings: settings.strict ? [] : untagged,
  };
}

function untaggedIssue(untagged: UntaggedTable): Issue {
  const named = untagged.grants.slice(0, GRANTS_NAMED).map((grant) =>
    `${grant.Principal.DataLakePrincipalIdentifier} on ${formatExpression(grant.Resource.LFTagPolicy!.Expression)}`);
  const more = untagged.grants.length > GRANTS_NAMED ? ` and ${untagged.grants.length - GRANTS_NAMED} more` : '';
  return {
    path: 'lakeFormation.files.resourceTags',
    message: `${untagged.table} has no get-resource-lf-tags export, so no LF-Tag policy can reach it, `
      + `yet ${untagged.grants.length} tag-policy grant(s) on tables might (${named.join('; ')}${more}): add its tags here`,
  };
}
