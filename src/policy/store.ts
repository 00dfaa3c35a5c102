import { LRUCache } from 'lru-cache';
import type { Catalog, Issue } from '../catalog/types';
import { resolveEntitlement, unrestrictedEntitlement, type Entitlement } from './entitlement';
import { expandGrants, type Grant } from './grants';
import type { LakeFormationSnapshot } from './lf-types';

/**
 * The current Lake Formation permissions, expanded, and the entitlements derived from them.
 * A new snapshot replaces the grants only when it compiles without issues (the last good copy
 * stays otherwise), and entitlements are recomputed from then on — no restart.
 */
export interface PolicyStore {
  readonly enforced: boolean;
  entitlementFor(principals: readonly string[]): Entitlement;
  /** Returns the issues that kept the snapshot out, or none when it was taken. */
  update(snapshot: LakeFormationSnapshot): readonly Issue[];
}

export function createPolicyStore(catalog: Catalog, catalogId: string | null): PolicyStore {
  if (catalogId === null) {
    const everything = unrestrictedEntitlement(catalog);
    return { enforced: false, entitlementFor: () => everything, update: () => [] };
  }
  let grants: readonly Grant[] = [];
  // Entitlements per distinct principal set; cleared when the grants change.
  const cache = new LRUCache<string, Entitlement>({ max: 1000 });
  return {
    enforced: true,
    entitlementFor(principals) {
      const key = JSON.stringify([...new Set(principals)].sort());
      let entitlement = cache.get(key);
      if (!entitlement) {
        entitlement = resolveEntitlement(catalog, grants, principals);
        cache.set(key, entitlement);
      }
      return entitlement;
    },
    update(snapshot) {
      const expanded = expandGrants(snapshot, catalog.tables, catalogId);
      if (expanded.issues.length > 0) return expanded.issues;
      grants = expanded.value;
      cache.clear();
      return [];
    },
  };
}
