import type { GraphQLField } from 'graphql';

/**
 * What a generated field reads, carried as `extensions.lakegate` on the field itself so the
 * edge can estimate a document's cost before anything runs without knowing the catalog:
 * `rows` (a dataset read), `page` (a dataset read by cursor: its rows under `rows`), `aggregate`, `relation` (one batched query per level) and `kpi`.
 */
export type FieldKind =
  | { readonly kind: 'rows' }
  | { readonly kind: 'page' }
  | { readonly kind: 'aggregate' }
  | { readonly kind: 'relation'; readonly many: boolean }
  | { readonly kind: 'kpi' };

declare module 'graphql' {
  interface GraphQLFieldExtensions<_TSource, _TContext, _TArgs> {
    lakegate?: FieldKind;
  }
}

/** The field's kind; undefined for fields that start no engine query (columns, structs, `kpis`, `catalog`). */
export function fieldKind(field: GraphQLField<unknown, unknown>): FieldKind | undefined {
  return field.extensions.lakegate;
}
