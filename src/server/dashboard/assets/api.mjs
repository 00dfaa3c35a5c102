/** GraphQL over HTTP (same origin): the KPIs the caller may read, with what the tiles need to query them. */

export class Unauthorized extends Error {}

async function graphql(endpoint, token, query) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    cache: 'no-store',
  });
  const body = await response.json().catch(() => null);
  const message = body?.errors?.map((error) => error.message).join('; ');
  if (response.status === 401) throw new Unauthorized(message ?? 'the token was refused');
  if (!response.ok || !body?.data) throw new Error(message ?? `HTTP ${response.status}`);
  return body.data;
}

/**
 * The catalog's KPIs, and the point fields of each (the `Kpis` type, read the way GraphiQL reads
 * the schema): a breakdown selects the point field of its dimension, which the catalog names only
 * by its enum value.
 */
const CATALOG_QUERY = `query DashboardCatalog {
  catalog { kpis { name description unit format dimensions grains thresholds { above below dimensions } } }
  kpiFields: __type(name: "Kpis") { fields { name type { ofType { ofType { ofType { fields { name } } } } } } }
}`;

export async function loadKpis(endpoint, token) {
  const data = await graphql(endpoint, token, CATALOG_QUERY);
  const pointFields = new Map((data.kpiFields?.fields ?? []).map((field) => [field.name, fieldNamesOf(field.type)]));
  return data.catalog.kpis.map((kpi) => ({ ...kpi, dimensionFields: dimensionFields(kpi.dimensions, pointFields.get(kpi.name) ?? []) }));
}

/** `[RevenuePoint!]!` → the field names of RevenuePoint. */
function fieldNamesOf(type) {
  let named = type;
  while (named && !named.fields) named = named.ofType;
  return named ? named.fields.map((field) => field.name) : [];
}

/** Enum value → point field, by the server's naming rule (`deviceOs` is `DEVICE_OS`); only dimensions with a field are kept. */
function dimensionFields(dimensions, fields) {
  const byEnum = new Map(fields.map((field) => [screamingSnakeCase(field), field]));
  return Object.fromEntries(dimensions.filter((value) => byEnum.has(value)).map((value) => [value, byEnum.get(value)]));
}

function screamingSnakeCase(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
}
