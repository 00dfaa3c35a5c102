import {
  getArgumentValues, getNamedType, getOperationAST, isLeafType, isListType, isNonNullType, isObjectType, Kind, parse, specifiedRules, validate,
  type DocumentNode, type FieldNode, type GraphQLField, type GraphQLFieldResolver, type GraphQLLeafType, type GraphQLObjectType, type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { fieldKind } from '../../schema/field-kinds';
import { checkOperationShape } from '../limits/operation-shape';
import { scanDocument } from '../limits/document-scan';
import type { DocumentLimits } from '../limits/violation';

/** One selected column of a dataset row: read by the field's own resolver, written through its scalar. */
export type PreparedLeaf =
  | { readonly kind: 'typename'; readonly key: string; readonly typename: string }
  | {
    readonly kind: 'column';
    readonly key: string;
    readonly nodes: readonly FieldNode[];
    readonly read: GraphQLFieldResolver<unknown, unknown>;
    readonly type: GraphQLLeafType;
  };

/** One dataset list field at the root of the operation. */
export interface PreparedRoot {
  readonly key: string;
  readonly field: GraphQLField<unknown, unknown>;
  readonly nodes: readonly FieldNode[];
  readonly rowType: GraphQLObjectType;
  readonly leaves: readonly PreparedLeaf[];
  /** The field's arguments when the operation declares no variables: the same for every request, so frozen (the planner remembers what it derives from them). */
  readonly args: Readonly<Record<string, unknown>> | null;
}

/** A document parsed, validated and held to the document limits once, with what its execution needs. */
export interface PreparedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly roots: readonly PreparedRoot[];
}

/**
 * Prepares a document for the short road, or returns null to leave it to Apollo: one whose
 * answer this server can give exactly as graphql-js would. That is a query of dataset list
 * fields (`<dataset>(where, orderBy, limit, offset)`) selecting top-level columns and
 * `__typename`, with no fragments, directives or repeated response keys, valid against the
 * caller's schema and within every limit judged on the document alone (tokens, nesting,
 * aliases, root fields, depth). Anything else — including every document that fails a check,
 * so its error comes from the one road that words it — goes through Apollo.
 */
export function prepareOperation(schema: GraphQLSchema, source: string, operationName: string | undefined, limits: DocumentLimits): PreparedOperation | null {
  if (scanDocument(source, limits)) return null;
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch {
    return null;
  }
  if (checkOperationShape(schema, document, limits)) return null;
  if (validate(schema, document, specifiedRules).length > 0) return null;
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'query' || document.definitions.length !== 1 || operation.directives?.length) return null;
  const queryType = schema.getQueryType();
  if (!queryType) return null;
  const roots: PreparedRoot[] = [];
  for (const selection of operation.selectionSet.selections) {
    const root = selection.kind === Kind.FIELD ? prepareRoot(queryType, selection, operation) : null;
    if (!root || roots.some((known) => known.key === root.key)) return null;
    roots.push(root);
  }
  return { document, operation, roots };
}

function prepareRoot(queryType: GraphQLObjectType, node: FieldNode, operation: OperationDefinitionNode): PreparedRoot | null {
  const field = queryType.getFields()[node.name.value];
  if (!field || fieldKind(field)?.kind !== 'rows' || !field.resolve || node.directives?.length || !node.selectionSet) return null;
  const rowType = rowTypeOf(field);
  if (!rowType) return null;
  const leaves: PreparedLeaf[] = [];
  for (const selection of node.selectionSet.selections) {
    const leaf = selection.kind === Kind.FIELD ? prepareLeaf(rowType, selection) : null;
    if (!leaf || leaves.some((known) => known.key === leaf.key)) return null;
    leaves.push(leaf);
  }
  let args: Readonly<Record<string, unknown>> | null = null;
  if (!operation.variableDefinitions?.length) {
    try {
      args = Object.freeze(getArgumentValues(field, node, {}));
    } catch {
      return null;
    }
  }
  return { key: responseKey(node), field, nodes: [node], rowType, leaves, args };
}

/** `[Row!]!`: the type every dataset list field has. */
function rowTypeOf(field: GraphQLField<unknown, unknown>): GraphQLObjectType | null {
  const list = isNonNullType(field.type) ? field.type.ofType : null;
  const item = list && isListType(list) ? list.ofType : null;
  const row = item && isNonNullType(item) ? item.ofType : null;
  return row && isObjectType(row) ? row : null;
}

function prepareLeaf(rowType: GraphQLObjectType, node: FieldNode): PreparedLeaf | null {
  if (node.directives?.length || node.arguments?.length || node.selectionSet) return null;
  const key = responseKey(node);
  if (node.name.value === '__typename') return { kind: 'typename', key, typename: rowType.name };
  const field = rowType.getFields()[node.name.value];
  // A nullable leaf of a dataset type is a column (relations are objects); its resolver reads the row only.
  if (!field?.resolve || isNonNullType(field.type) || !isLeafType(field.type) || getNamedType(field.type) !== field.type) return null;
  return { kind: 'column', key, nodes: [node], read: field.resolve, type: field.type };
}

function responseKey(node: FieldNode): string {
  return node.alias?.value ?? node.name.value;
}
