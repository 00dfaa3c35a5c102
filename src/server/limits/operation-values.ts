import {
  getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind, valueFromASTUntyped,
  type FieldNode, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import type { Fragments } from './fragments';

/** Variable name → value: as the request sent it (JSON, not yet coerced), else the declared default. */
export type RawVariables = Readonly<Record<string, unknown>>;

/**
 * The operation's variables before execution coerces them: limits that depend on values (list
 * lengths, filter nesting, `limit` arguments in the cost) are judged before anything runs.
 */
export function operationVariables(operation: OperationDefinitionNode, sent: Readonly<Record<string, unknown>> | undefined): RawVariables {
  const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (sent && Object.hasOwn(sent, name)) values[name] = sent[name];
    else if (definition.defaultValue) values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}

/** An argument's value, literal or through a variable; undefined when absent. */
export function argumentValue(node: FieldNode, name: string, variables: RawVariables): unknown {
  const argument = node.arguments?.find((candidate) => candidate.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables) : undefined;
}

/**
 * The fields a selection runs, by response key as execution groups them: fragments expanded once
 * per level, `@skip`/`@include` applied (a directive whose variable is invalid counts as included;
 * execution refuses it anyway). Fields with one key are merged, so their sub-selections add up.
 */
export function collectResponseFields(sets: readonly SelectionSetNode[], fragments: Fragments, variables: RawVariables): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const expanded = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        fields.set(key, [...(fields.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!expanded.has(selection.name.value)) {
        expanded.add(selection.name.value);
        visit(fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return fields;
}

function isIncluded(node: Parameters<typeof getDirectiveValues>[1], variables: RawVariables): boolean {
  if (!node.directives?.length) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
  } catch {
    return true;
  }
}
