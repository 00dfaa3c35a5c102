import {
  getNamedType, isLeafType, isListType, isNonNullType, isObjectType,
  type FieldNode, type GraphQLObjectType, type GraphQLOutputType,
} from 'graphql';
import type { Row } from '../../datasources/types';
import type { SelectionScope } from '../../planner/selection';
import { LakegateError } from '../../query/errors';
import { fieldKind } from '../../schema/field-kinds';
import { collectResponseFields } from '../limits/operation-values';

/** One top-level column of an export: its response key (the CSV header) and its value in a row, as /graphql would answer it. */
export interface ExportColumn {
  readonly key: string;
  readonly value: (row: Row) => unknown;
}

type Complete = (value: unknown) => unknown;

/**
 * The export's columns, read from the selection once: each field's value completed as graphql-js
 * completes it — read by the field's own resolver (a column by its catalog name), leaves through
 * their scalar's `serialize` (BigInt and Decimal stay exact strings, DateTime as /graphql writes
 * it), lists element by element, structs by their sub-selection — so an export row is the object
 * /graphql would answer. Relations are refused (not supported in an export yet).
 */
export function exportColumns(type: GraphQLObjectType, nodes: readonly FieldNode[], scope: SelectionScope): ExportColumn[] {
  const sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  return [...collectResponseFields(sets, scope.fragments, scope.variableValues)].map(([key, fieldNodes]) => {
    const name = fieldNodes[0]!.name.value;
    if (name === '__typename') return { key, value: () => type.name };
    const field = type.getFields()[name]!;
    if (fieldKind(field)?.kind === 'relation') {
      throw new LakegateError('BAD_USER_INPUT', `${key}: relations are not supported in an export yet; export ${getNamedType(field.type).name} rows on their own and join them afterwards`);
    }
    // Column resolvers read their source only (see columnResolver): no arguments, context or info to give.
    const read = field.resolve ? (source: unknown) => field.resolve!(source, {}, undefined, undefined as never) : (source: unknown) => (source as Row)[name];
    const complete = completer(field.type, fieldNodes, scope);
    return { key, value: (row: Row) => complete(read(row)) };
  });
}

function completer(type: GraphQLOutputType, nodes: readonly FieldNode[], scope: SelectionScope): Complete {
  if (isNonNullType(type)) return completer(type.ofType, nodes, scope);
  if (isListType(type)) {
    const element = completer(type.ofType, nodes, scope);
    return (value) => (value == null ? null : (value as readonly unknown[]).map(element));
  }
  if (isLeafType(type)) return (value) => (value == null ? null : type.serialize(value));
  if (isObjectType(type)) {
    const columns = exportColumns(type, nodes, scope);
    return (value) => (value == null ? null : Object.fromEntries(columns.map((column) => [column.key, column.value(value as Row)])));
  }
  throw new Error(`an export cannot complete the abstract type ${type.name}`);
}
