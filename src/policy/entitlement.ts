import { readableKpis } from '../catalog/kpis';
import type { Catalog, Dataset } from '../catalog/types';
import { fingerprint } from '../query/fingerprint';
import type { TableView } from '../query/types';
import { resolveAccess } from './access';
import type { Grant } from './grants';

/**
 * Everything one caller may see and read, derived from its principals. Callers with the same
 * readable datasets and columns share `key`, and with it one cached GraphQL schema.
 */
export interface Entitlement {
  readonly key: string;
  /**
   * Everything that decides what the caller reads — columns, row filters, cell masks — hashed:
   * equal only for callers with exactly the same access. A long query is picked up only by a
   * caller with the fingerprint that started it.
   */
  readonly fingerprint: string;
  /** The catalog cut to what the caller may read: datasets, columns, relations. */
  readonly catalog: Catalog;
  /** Datasets the caller may see exist (DESCRIBE) but not read. */
  readonly describeOnly: readonly Dataset[];
  /** The view each readable dataset is read through, by dataset name. */
  readonly views: ReadonlyMap<string, TableView>;
  /** Grant names behind each readable dataset's view, for audit. */
  readonly sources: ReadonlyMap<string, readonly string[]>;
}

/** Without Lake Formation configured every caller reads every dataset through a plain view. */
export function unrestrictedEntitlement(catalog: Catalog): Entitlement {
  const views = new Map(catalog.datasets.map((dataset) => [dataset.name, fullView(dataset)]));
  return { key: 'unrestricted', fingerprint: 'unrestricted', catalog, describeOnly: [], views, sources: new Map() };
}

export function resolveEntitlement(catalog: Catalog, grants: readonly Grant[], principals: readonly string[]): Entitlement {
  const views = new Map<string, TableView>();
  const sources = new Map<string, readonly string[]>();
  const describeOnly: Dataset[] = [];
  for (const dataset of catalog.datasets) {
    const access = resolveAccess(dataset, grants, principals);
    if (access.view && access.view.columns.length > 0) {
      views.set(dataset.name, access.view);
      sources.set(dataset.name, access.sources);
    } else if (access.describe) {
      describeOnly.push(dataset);
    }
  }
  const readable = catalog.datasets.filter((dataset) => views.has(dataset.name)).map((dataset) => cutDataset(dataset, views));
  const kpis = readableKpis(catalog.kpis, readable);
  const key = JSON.stringify([
    readable.map((dataset) => [dataset.name, dataset.columns.map((col) => col.name), dataset.relations.map((rel) => rel.field)]),
    kpis.map((kpi) => kpi.name),
  ]);
  return { key, fingerprint: fingerprint([key, [...views]]), catalog: { tables: catalog.tables, datasets: readable, kpis }, describeOnly, views, sources };
}

/**
 * A dataset as the caller sees it: authorised columns only; relations only into readable
 * datasets through authorised key columns; the primary key only where all of it is readable.
 */
function cutDataset(dataset: Dataset, views: ReadonlyMap<string, TableView>): Dataset {
  const visible = new Set(views.get(dataset.name)!.columns);
  const relations = dataset.relations.filter((relation) => {
    const target = views.get(relation.target);
    return visible.has(relation.from) && target !== undefined && target.columns.includes(relation.to);
  });
  return {
    ...dataset,
    columns: dataset.columns.filter((col) => visible.has(col.name)),
    primaryKey: dataset.primaryKey.every((name) => visible.has(name)) ? dataset.primaryKey : [],
    relations,
  };
}

function fullView(dataset: Dataset): TableView {
  return { kind: 'view', table: dataset.table, columns: dataset.columns.map((col) => col.name), rowFilter: null, masks: [] };
}
