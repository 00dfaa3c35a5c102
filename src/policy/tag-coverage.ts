import type { TableRef } from '../query/types';
import { isTableTagPolicy, tableKey, tagsInForce } from './grants';
import type { LakeFormationSnapshot, PrincipalResourcePermissions } from './lf-types';

/**
 * Served tables that LF-Tag policy grants could reach but that no resource-tag export covers.
 *
 * A table without exported tags has none as far as Lakegate knows, and a tag expression (one
 * pair at least, keys ANDed) never matches a table without tags: whatever a tag-policy grant
 * would give on it is silently lost. Whether it would match depends on exactly the tags that are
 * missing, so every tag-policy grant on TABLE resources of the served catalog counts for every
 * untagged served table. DATABASE tag policies do not count: they reach databases, not reads.
 */

export interface UntaggedTable {
  /** `database.table` as the dataset names it. */
  readonly table: string;
  /** The tag-policy grants whose reach on this table depends on its missing tags. */
  readonly grants: readonly PrincipalResourcePermissions[];
}

export function findUntaggedTables(snapshot: LakeFormationSnapshot, served: readonly TableRef[], catalogId: string): UntaggedTable[] {
  const grants = snapshot.permissions.filter((permission) => isTableTagPolicy(permission, catalogId));
  if (grants.length === 0) return [];
  const tagged = tagsInForce(snapshot.tableTags, catalogId);
  const tables = new Map(served.map((table) => [tableKey(table.database, table.table), `${table.database}.${table.table}`]));
  return [...tables].filter(([key]) => !tagged.has(key)).map(([, table]) => ({ table, grants }));
}
