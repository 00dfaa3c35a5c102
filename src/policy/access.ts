import type { Dataset } from '../catalog/types';
import { or } from '../query/expr';
import type { ColumnMask, Expr, TableView } from '../query/types';
import { EVERYONE, tableKey, type Grant } from './grants';

/** What one caller may do with one table. */
export interface TableAccess {
  /** Some grant reaches the table: it is listed in discovery. */
  readonly describe: boolean;
  /** The view the caller reads through; null when no grant lets it read. */
  readonly view: TableView | null;
  /** Names of the grants that shape the view (data cells filters, tag policies), for audit. */
  readonly sources: readonly string[];
}

/**
 * Resolves the caller's access to a dataset's table: the union of the grants of all its
 * principals (and of IAM_ALLOWED_PRINCIPALS). Deny by default: no grant, no access.
 */
export function resolveAccess(dataset: Dataset, grants: readonly Grant[], principals: readonly string[]): TableAccess {
  const holders = new Set([...principals, EVERYONE]);
  const key = tableKey(dataset.table.database, dataset.table.table);
  const mine = grants.filter((grant) => grant.table === key && holders.has(grant.principal));
  const reads = dedupe(mine.filter((grant) => grant.read));
  const sources = [...new Set(reads.map((grant) => grant.source))].sort();
  return { describe: mine.length > 0, view: reads.length > 0 ? buildView(dataset, reads) : null, sources };
}

function buildView(dataset: Dataset, reads: readonly Grant[]): TableView {
  const granted = new Set(reads.flatMap((grant) => grant.columns));
  const columns = dataset.columns.map((col) => col.name).filter((name) => granted.has(name));
  const allRows = reads.some((grant) => grant.rows === null);
  const rowFilter = allRows ? null : or(reads.map((grant) => grant.rows!));
  const masks: ColumnMask[] = [];
  for (const name of columns) {
    const covering = reads.filter((grant) => grant.columns.includes(name));
    // Covered on every visible row: no mask needed.
    if (covering.some((grant) => grant.rows === null) || covering.length === reads.length) continue;
    masks.push({ column: name, visibleWhen: or(covering.map((grant) => grant.rows as Expr)) });
  }
  return { kind: 'view', table: dataset.table, columns, rowFilter, masks };
}

/** The same (rows, columns) granted twice, or in another order, is one grant. */
function dedupe(grants: readonly Grant[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const grant of grants) {
    const key = JSON.stringify([grant.rows, [...grant.columns].sort()]);
    if (!seen.has(key)) seen.set(key, grant);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, grant]) => ({ ...grant, columns: [...grant.columns].sort() }));
}
