import {
  getArgumentValues, GraphQLError, locatedError, responsePathAsArray,
  type GraphQLResolveInfo, type GraphQLSchema,
} from 'graphql';
import { inspect } from 'graphql/jsutils/inspect';
import type { RequestContext } from '../context';
import type { PreparedLeaf, PreparedOperation, PreparedRoot } from './prepare';

/** What execution gives the answer: the data (null once a root field failed) and the errors, in the order they happened. */
export interface PreparedResult {
  readonly data: Record<string, unknown> | null;
  readonly errors: readonly GraphQLError[];
}

type Path = GraphQLResolveInfo['path'];

/** Errors as graphql-js collects them: none are added once the whole operation has failed. */
class Errors {
  readonly list: GraphQLError[] = [];
  private failed = false;

  add(error: GraphQLError): void {
    if (!this.failed) this.list.push(error);
  }

  fail(error: unknown): void {
    this.add(error as GraphQLError);
    this.failed = true;
  }
}

/**
 * Executes a prepared operation as graphql-js's `execute` would, to the byte: the root fields'
 * resolvers (the planner's own, with the same arguments, context and resolve info) started in
 * order, their rows completed column by column through each field's resolver and scalar, a
 * failing cell null with its error, a failing root field ending the operation with `data: null`.
 */
export async function executePrepared(schema: GraphQLSchema, prepared: PreparedOperation, context: RequestContext, variableValues: Readonly<Record<string, unknown>>): Promise<PreparedResult> {
  const errors = new Errors();
  const started: Promise<unknown>[] = [];
  try {
    for (const root of prepared.roots) started.push(executeRoot(schema, prepared, root, context, variableValues, errors));
  } catch (error) {
    // A root field failing at once ends the operation once the fields already started have settled (graphql-js's executeFields).
    await Promise.all(started).catch(() => undefined);
    errors.fail(error);
    return { data: null, errors: errors.list };
  }
  try {
    const values = await Promise.all(started);
    const data: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    prepared.roots.forEach((root, index) => {
      data[root.key] = values[index];
    });
    return { data, errors: errors.list };
  } catch (error) {
    errors.fail(error);
    return { data: null, errors: errors.list };
  }
}

/** One root field: resolved, then completed; throws (or rejects with) its located error, the field being non-null. */
function executeRoot(schema: GraphQLSchema, prepared: PreparedOperation, root: PreparedRoot, context: RequestContext, variableValues: Readonly<Record<string, unknown>>, errors: Errors): Promise<unknown> {
  const queryType = schema.getQueryType()!;
  const path: Path = { prev: undefined, key: root.key, typename: queryType.name };
  const info: GraphQLResolveInfo = {
    fieldName: root.field.name,
    fieldNodes: root.nodes,
    returnType: root.field.type,
    parentType: queryType,
    path,
    schema,
    fragments: {},
    rootValue: undefined,
    operation: prepared.operation,
    variableValues: variableValues as Record<string, unknown>,
  };
  const located = (error: unknown, at: Path): GraphQLError => locatedError(error, root.nodes, responsePathAsArray(at));
  try {
    const args = root.args ?? getArgumentValues(root.field, root.nodes[0]!, variableValues as Record<string, unknown>);
    const resolved = Promise.resolve(root.field.resolve!(undefined, args, context, info));
    return resolved.then((rows) => completeRows(root, rows, path, context, errors, info)).then(undefined, (error: unknown) => {
      throw located(error, path);
    });
  } catch (error) {
    throw located(error, path);
  }
}

function completeRows(root: PreparedRoot, rows: unknown, path: Path, context: RequestContext, errors: Errors, info: GraphQLResolveInfo): unknown[] {
  if (!Array.isArray(rows)) throw new GraphQLError(`Expected Iterable, but did not find one for field "${info.parentType.name}.${info.fieldName}".`);
  return rows.map((row: unknown, index) => {
    const rowPath: Path = { prev: path, key: index, typename: undefined };
    if (row == null) {
      throw locatedError(new Error(`Cannot return null for non-nullable field ${info.parentType.name}.${info.fieldName}.`), root.nodes, responsePathAsArray(rowPath));
    }
    const object: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const leaf of root.leaves) object[leaf.key] = completeLeaf(leaf, row, rowPath, root, context, errors);
    return object;
  });
}

/** A nullable leaf: null stays null; a value goes through its scalar; a failure is this cell's null and error. */
function completeLeaf(leaf: PreparedLeaf, row: unknown, rowPath: Path, root: PreparedRoot, context: RequestContext, errors: Errors): unknown {
  if (leaf.kind === 'typename') return leaf.typename;
  const path: Path = { prev: rowPath, key: leaf.key, typename: root.rowType.name };
  try {
    const value = leaf.read(row, {}, context, undefined as never);
    if (value == null) return null;
    const serialized = leaf.type.serialize(value);
    if (serialized == null) {
      throw new Error(`Expected \`${inspect(leaf.type)}.serialize(${inspect(value)})\` to return non-nullable value, returned: ${inspect(serialized)}`);
    }
    return serialized;
  } catch (error) {
    errors.add(locatedError(error, leaf.nodes, responsePathAsArray(path)));
    return null;
  }
}
