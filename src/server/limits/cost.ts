import { getNamedType, isObjectType, type FieldNode, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { fieldKind, type FieldKind } from '../../schema/field-kinds';
import type { Fragments } from './fragments';
import { argumentValue, collectResponseFields, type RawVariables } from './operation-values';
import { overLimit, type DocumentLimits, type LimitViolation } from './violation';

/** An engine query costs this much: its fixed price (planning, a scan, a connection or an Athena slot) outweighs a page of rows. */
export const COST_PER_QUERY = 10;
/** Rows a response may carry per unit of cost. */
export const ROWS_PER_COST = 100;

export interface CostEstimate {
  /** Engine queries the operation may start: at most this many. */
  readonly engineQueries: number;
  /** Rows it may return: at most this many. */
  readonly rows: number;
  /** `COST_PER_QUERY × engineQueries + ⌈rows / ROWS_PER_COST⌉`. */
  readonly estimated: number;
}

/** `extensions.lakegate.cost` of an accepted request: the estimate and the limit it was judged against. */
export interface CostReport extends CostEstimate {
  readonly max: number;
}

interface Tally {
  readonly engineQueries: number;
  readonly rows: number;
}

type Limits = Pick<DocumentLimits, 'defaultLimit' | 'maxLimit'>;

interface Scope {
  readonly fragments: Fragments;
  readonly variables: RawVariables;
  readonly limits: Limits;
}

/**
 * The cost of an operation, from the document alone (before anything runs): a dataset read or
 * an aggregate is one engine query returning its `limit` rows (a page: its `first` rows) (else `defaultLimit`; a larger
 * limit than maxLimit is refused on its own); a relation level is one batched query, its rows
 * its parents' rows times its per-parent limit (one per parent for a to-one relation); a KPI is
 * one query (two without `to`: the latest data is looked up first) of up to maxLimit points.
 * Introspection, `catalog` and columns cost nothing.
 */
export function estimateCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Fragments, variables: RawVariables, limits: Limits): CostEstimate {
  const root = schema.getRootType(operation.operation);
  const tally = root ? selectionCost(root, [operation.selectionSet], 1, { fragments, variables, limits }) : { engineQueries: 0, rows: 0 };
  return { ...tally, estimated: COST_PER_QUERY * tally.engineQueries + Math.ceil(tally.rows / ROWS_PER_COST) };
}

export function checkCost(estimate: CostEstimate, limits: Pick<DocumentLimits, 'maxCost'>): LimitViolation | null {
  if (estimate.estimated <= limits.maxCost) return null;
  const found = `the operation's estimated cost is ${estimate.estimated} (${estimate.engineQueries} engine queries × ${COST_PER_QUERY} + ${estimate.rows} rows / ${ROWS_PER_COST})`;
  return overLimit('maxCost', limits.maxCost, found);
}

function selectionCost(type: GraphQLObjectType, sets: readonly SelectionSetNode[], parentRows: number, scope: Scope): Tally {
  let engineQueries = 0;
  let rows = 0;
  for (const nodes of collectResponseFields(sets, scope.fragments, scope.variables).values()) {
    const node = nodes[0]!;
    const field = node.name.value.startsWith('__') ? undefined : type.getFields()[node.name.value];
    if (!field) continue;
    const own = fieldCost(fieldKind(field), node, parentRows, scope);
    const child = getNamedType(field.type);
    const subSets = nodes.flatMap((each) => (each.selectionSet ? [each.selectionSet] : []));
    const below = isObjectType(child) && subSets.length > 0 ? selectionCost(child, subSets, own.rowsBelow, scope) : { engineQueries: 0, rows: 0 };
    engineQueries += own.engineQueries + below.engineQueries;
    rows += own.rows + below.rows;
  }
  return { engineQueries, rows };
}

/** One field's own queries and rows, and how many rows its sub-selection is repeated for. */
function fieldCost(kind: FieldKind | undefined, node: FieldNode, parentRows: number, scope: Scope): Tally & { readonly rowsBelow: number } {
  const page = (): number => pageRows(argumentValue(node, 'limit', scope.variables), scope.limits);
  switch (kind?.kind) {
    case undefined:
      return { engineQueries: 0, rows: 0, rowsBelow: parentRows };
    case 'rows':
    case 'aggregate': {
      const rows = page();
      return { engineQueries: 1, rows, rowsBelow: rows };
    }
    case 'page': {
      // Priced as the list field with `first` as its limit; its rows sit one level down, under `rows`.
      const rows = pageRows(argumentValue(node, 'first', scope.variables), scope.limits);
      return { engineQueries: 1, rows, rowsBelow: rows };
    }
    case 'relation': {
      const rows = parentRows * (kind.many ? page() : 1);
      return { engineQueries: 1, rows, rowsBelow: rows };
    }
    case 'kpi': {
      const to = argumentValue(node, 'to', scope.variables);
      return { engineQueries: to === undefined || to === null ? 2 : 1, rows: scope.limits.maxLimit, rowsBelow: scope.limits.maxLimit };
    }
  }
}

/** The rows a `limit` lets through: the default when absent or invalid (execution refuses an invalid one), at most maxLimit. */
function pageRows(limit: unknown, limits: Limits): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) return limits.defaultLimit;
  return Math.min(limit, limits.maxLimit);
}
