import type { LakeFormationSnapshot, Resource } from './lf-types';

/**
 * The Data Catalog Lake Formation is enforced for. Exports name it on nearly every entry
 * (`CatalogId`, `TableCatalogId`), so when the configuration leaves `catalogId` out it is taken
 * from them — but only when they name exactly one: grants on another account's catalog are
 * ignored, so guessing wrong would silently take every grant away. For the same reason a
 * configured id the exports never name (while naming others) is refused.
 */

export type CatalogIdResolution = { readonly ok: true; readonly catalogId: string } | { readonly ok: false; readonly error: string };

export function resolveCatalogId(configured: string | undefined, snapshot: LakeFormationSnapshot): CatalogIdResolution {
  const named = catalogIdsOf(snapshot);
  if (configured !== undefined) {
    if (named.size === 0 || named.has(configured)) return { ok: true, catalogId: configured };
    return { ok: false, error: `the exports name only ${describe(named)}, not catalogId ${configured}: grants naming another catalog are ignored, so they would grant nothing` };
  }
  const [only, ...others] = [...named.keys()].sort();
  if (only === undefined) {
    return { ok: false, error: 'the exports name no Data Catalog (no CatalogId in them): set catalogId to the AWS account id of the catalog' };
  }
  if (others.length > 0) {
    return { ok: false, error: `the exports name several Data Catalogs, ${describe(named)}: set catalogId to the one Lakegate serves (grants on the others are ignored)` };
  }
  return { ok: true, catalogId: only };
}

/** `111122223333 (list-permissions, list-lf-tags); 444455556666 (list-permissions)`. */
function describe(named: ReadonlyMap<string, ReadonlySet<string>>): string {
  return [...named.keys()].sort().map((id) => `${id} (${[...named.get(id)!].join(', ')})`).join('; ');
}

/** Each catalog id the exports name, with the exports that name it. */
export function catalogIdsOf(snapshot: LakeFormationSnapshot): Map<string, Set<string>> {
  const named = new Map<string, Set<string>>();
  const note = (id: string | undefined, source: string): void => {
    if (id === undefined) return;
    named.set(id, (named.get(id) ?? new Set<string>()).add(source));
  };
  snapshot.permissions.forEach((permission) => note(resourceCatalogId(permission.Resource), 'list-permissions'));
  snapshot.dataCellsFilters.forEach((filter) => note(filter.TableCatalogId, 'list-data-cells-filter'));
  snapshot.tagDefinitions.forEach((tag) => note(tag.CatalogId, 'list-lf-tags'));
  snapshot.tableTags.forEach((tags) => note(tags.CatalogId, 'resource tags'));
  return named;
}

function resourceCatalogId(resource: Resource): string | undefined {
  const { Database, Table, TableWithColumns, DataCellsFilter, LFTagPolicy, LFTag, DataLocation } = resource;
  return Database?.CatalogId ?? Table?.CatalogId ?? TableWithColumns?.CatalogId ?? DataCellsFilter?.TableCatalogId
    ?? LFTagPolicy?.CatalogId ?? LFTag?.CatalogId ?? DataLocation?.CatalogId;
}
