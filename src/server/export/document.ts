import {
  getArgumentValues, getOperationAST, getVariableValues, GraphQLError, parse, validate,
  type FieldNode, type GraphQLField, type GraphQLSchema,
} from 'graphql';
import { fieldKind } from '../../schema/field-kinds';
import type { SelectionScope } from '../../planner/selection';
import { checkArguments } from '../limits/argument-limits';
import { scanDocument } from '../limits/document-scan';
import { fragmentsOf } from '../limits/fragments';
import { checkOperationShape } from '../limits/operation-shape';
import { collectResponseFields, operationVariables } from '../limits/operation-values';
import { limitExceeded, type DocumentLimits } from '../limits/violation';
import type { ExportRequest } from './request';

/** The one dataset list field an export reads, its arguments coerced as execution would, and the scope to read its selection. */
export interface ExportField {
  readonly datasetName: string;
  readonly field: GraphQLField<unknown, unknown>;
  readonly nodes: readonly FieldNode[];
  readonly args: Record<string, unknown>;
  readonly scope: SelectionScope;
}

export type CheckedExport = { readonly ok: true; readonly value: ExportField } | { readonly ok: false; readonly error: GraphQLError };

const ACCEPTS = 'an export reads exactly one dataset list field, e.g. { transactions(where: {...}, orderBy: [...], limit: 5000) { transactionId amount } }';

/**
 * The export's document held to what /graphql holds a document to, against the caller's own
 * schema (a column it may not read is the same validation error as a typo): tokens and nesting
 * before parsing, the operation's shape before validation, validation, then its arguments (list
 * lengths, filter nesting). The estimated cost is not checked: an export reads one field by
 * design, as many rows as it asks for; the caller's query slots, the engine queue, the partition
 * filter and the Athena bytes budget bound it instead.
 */
export function checkExportDocument(schema: GraphQLSchema, request: ExportRequest, limits: DocumentLimits): CheckedExport {
  const scanned = scanDocument(request.query, limits);
  if (scanned) return refused(limitExceeded(scanned));
  let document;
  try {
    document = parse(request.query, { maxTokens: limits.maxTokens });
  } catch (error) {
    return refused(new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }));
  }
  const shape = checkOperationShape(schema, document, limits);
  if (shape) return refused(limitExceeded(shape));
  const [invalid] = validate(schema, document);
  if (invalid) return refused(new GraphQLError(invalid.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  const operation = getOperationAST(document, request.operationName);
  if (!operation) return refused(new GraphQLError('no operation to export: name one with operationName', { extensions: { code: 'BAD_REQUEST' } }));
  if (operation.operation !== 'query') return badInput(`${ACCEPTS}; a ${operation.operation} is not exported`);
  const fragments = fragmentsOf(document);
  const violation = checkArguments(operation, fragments, operationVariables(operation, request.variables), limits);
  if (violation) return refused(limitExceeded(violation));
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
  if (coerced.errors) return refused(new GraphQLError(coerced.errors[0]!.message, { extensions: { code: 'BAD_USER_INPUT' } }));
  const roots = [...collectResponseFields([operation.selectionSet], fragments, coerced.coerced)];
  if (roots.length !== 1) return badInput(`${ACCEPTS}; this one selects ${roots.length === 0 ? 'no field' : roots.map(([key]) => key).join(', ')}`);
  const [, nodes] = roots[0]!;
  const name = nodes[0]!.name.value;
  const field = schema.getQueryType()?.getFields()[name];
  if (!field || fieldKind(field)?.kind !== 'rows') return badInput(`${ACCEPTS}; ${name} is not a dataset list field`);
  try {
    return { ok: true, value: { datasetName: name, field, nodes, args: getArgumentValues(field, nodes[0]!, coerced.coerced), scope: { fragments, variableValues: coerced.coerced } } };
  } catch (error) {
    return badInput((error as Error).message);
  }
}

function refused(error: GraphQLError | Error & { extensions?: Record<string, unknown> }): CheckedExport {
  return { ok: false, error: error instanceof GraphQLError ? error : new GraphQLError(error.message, { extensions: error.extensions ?? {} }) };
}

function badInput(message: string): CheckedExport {
  return refused(new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } }));
}
