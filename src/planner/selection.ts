import {
  getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind,
  type FieldNode, type FragmentDefinitionNode, type SelectionSetNode,
} from 'graphql';

/** What a resolver needs of the request to read sub-selections (a slice of GraphQLResolveInfo). */
export interface SelectionScope {
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variableValues: Readonly<Record<string, unknown>>;
}

/**
 * The fields selected under `nodes`, by field name (not alias), with fragments expanded and
 * `@skip`/`@include` applied. Type conditions are ignored: dataset types have no interfaces.
 */
export function collectFields(nodes: readonly FieldNode[], scope: SelectionScope): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visit = (set: SelectionSetNode | undefined, seenFragments: Set<string>): void => {
    for (const selection of set?.selections ?? []) {
      if (!isIncluded(selection, scope)) continue;
      if (selection.kind === Kind.FIELD) {
        const list = fields.get(selection.name.value) ?? [];
        list.push(selection);
        fields.set(selection.name.value, list);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seenFragments);
      } else if (!seenFragments.has(selection.name.value)) {
        seenFragments.add(selection.name.value);
        visit(scope.fragments[selection.name.value]?.selectionSet, seenFragments);
      }
    }
  };
  for (const node of nodes) visit(node.selectionSet, new Set());
  return fields;
}

function isIncluded(node: Parameters<typeof getDirectiveValues>[1], scope: SelectionScope): boolean {
  const variables = scope.variableValues as Record<string, unknown>;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
}
