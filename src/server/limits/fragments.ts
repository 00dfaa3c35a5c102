import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

export type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** A document's fragment definitions by name. */
export function fragmentsOf(document: DocumentNode): Fragments {
  return Object.fromEntries(
    document.definitions.filter((def): def is FragmentDefinitionNode => def.kind === Kind.FRAGMENT_DEFINITION).map((def) => [def.name.value, def]),
  );
}
