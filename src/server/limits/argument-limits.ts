import { Kind, type ArgumentNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { Fragments } from './fragments';
import type { RawVariables } from './operation-values';
import { firstViolation, overLimit, type DocumentLimits, type LimitViolation } from './violation';

/** How deep and/or/not nest in a value, and its longest list. */
interface ValueMeasure {
  readonly filterDepth: number;
  readonly longestList: number;
}

const COMBINATORS = new Set(['and', 'or', 'not']);

/**
 * Checks every argument of the operation (its fragments included) and every variable it
 * declares: and/or/not nesting against maxFilterDepth, list lengths (in, notIn, groupBy, ...)
 * against maxListLength. Variables are measured once, as sent, so a list or a filter passed
 * through a variable counts exactly as one written in the document.
 */
export function checkArguments(operation: OperationDefinitionNode, fragments: Fragments, variables: RawVariables, limits: DocumentLimits): LimitViolation | null {
  const measured = new Map(Object.keys(variables).map((name) => [name, measureJson(variables[name], limits.maxListLength)]));
  for (const [name, measure] of measured) {
    const violation = judge(measure, `variable $${name}`, limits);
    if (violation) return violation;
  }
  const byName = (name: string): ValueMeasure => measured.get(name) ?? { filterDepth: 0, longestList: 0 };
  const measures = argumentValues(operation, fragments).map((value) => measureLiteral(value, byName));
  return judge({
    filterDepth: Math.max(0, ...measures.map((measure) => measure.filterDepth)),
    longestList: Math.max(0, ...measures.map((measure) => measure.longestList)),
  }, 'an argument', limits);
}

/** The value of every argument, of fields and directives, in the operation and its fragments (walked without recursion). */
function argumentValues(operation: OperationDefinitionNode, fragments: Fragments): ValueNode[] {
  const values: ValueNode[] = [];
  const withArguments = (node: { readonly arguments?: readonly ArgumentNode[] }): void => {
    for (const argument of node.arguments ?? []) values.push(argument.value);
  };
  const pending: SelectionSetNode[] = [operation.selectionSet, ...Object.values(fragments).map((fragment) => fragment.selectionSet)];
  for (const directive of operation.directives ?? []) withArguments(directive);
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const selection of set.selections) {
      for (const directive of selection.directives ?? []) withArguments(directive);
      if (selection.kind === Kind.FIELD) withArguments(selection);
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) pending.push(selection.selectionSet);
    }
  }
  return values;
}

function judge(measure: ValueMeasure, where: string, limits: DocumentLimits): LimitViolation | null {
  return firstViolation([
    () => (measure.longestList > limits.maxListLength ? overLimit('maxListLength', limits.maxListLength, `${where} has a list of ${measure.longestList} values`) : null),
    () => (measure.filterDepth > limits.maxFilterDepth ? overLimit('maxFilterDepth', limits.maxFilterDepth, `${where} nests and/or/not ${measure.filterDepth} deep`) : null),
  ]);
}

/** A literal, walked without recursion; a variable inside it adds its own measure at that depth. */
function measureLiteral(root: ValueNode, variable: (name: string) => ValueMeasure): ValueMeasure {
  let filterDepth = 0;
  let longestList = 0;
  const pending: { node: ValueNode; depth: number }[] = [{ node: root, depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { node, depth } = item;
    filterDepth = Math.max(filterDepth, depth);
    if (node.kind === Kind.VARIABLE) {
      const inner = variable(node.name.value);
      filterDepth = Math.max(filterDepth, depth + inner.filterDepth);
      longestList = Math.max(longestList, inner.longestList);
    } else if (node.kind === Kind.LIST) {
      longestList = Math.max(longestList, node.values.length);
      for (const value of node.values) pending.push({ node: value, depth });
    } else if (node.kind === Kind.OBJECT) {
      for (const field of node.fields) pending.push({ node: field.value, depth: depth + (COMBINATORS.has(field.name.value) ? 1 : 0) });
    }
  }
  return { filterDepth, longestList };
}

/**
 * A variable's JSON value, walked without recursion (a request body may nest thousands of levels);
 * the walk stops at the first list over `maxListLength`, the costly case.
 */
function measureJson(root: unknown, maxListLength: number): ValueMeasure {
  let filterDepth = 0;
  let longestList = 0;
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, depth } = item;
    filterDepth = Math.max(filterDepth, depth);
    if (Array.isArray(value)) {
      longestList = Math.max(longestList, value.length);
      if (longestList > maxListLength) break;
      for (const element of value) pending.push({ value: element, depth });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, field] of Object.entries(value)) pending.push({ value: field, depth: depth + (COMBINATORS.has(key) ? 1 : 0) });
    }
  }
  return { filterDepth, longestList };
}
