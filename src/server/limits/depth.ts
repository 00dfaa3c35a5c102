import { Kind, type ASTNode, type SelectionSetNode } from 'graphql';
import type { Fragments } from './fragments';

/**
 * How many fields deep a selection goes, fragments expanded. Introspection (`__schema`,
 * `__type`) is deep by design, reads no data and counts nothing — graphql-armor's depth rule
 * exempts `__schema` only, hence this one. A fragment's depth is measured once (a cycle counts
 * 0 until validation refuses it), so fragments spread many times cost nothing more.
 */
export function selectionDepth(set: SelectionSetNode | undefined, fragments: Fragments, measured = new Map<string, number>()): number {
  let deepest = 0;
  for (const selection of set?.selections ?? []) {
    deepest = Math.max(deepest, nodeDepth(selection, fragments, measured));
  }
  return deepest;
}

function nodeDepth(node: ASTNode, fragments: Fragments, measured: Map<string, number>): number {
  if (node.kind === Kind.FIELD && node.name.value.startsWith('__')) return 0;
  if (node.kind === Kind.FIELD) return node.selectionSet ? 1 + selectionDepth(node.selectionSet, fragments, measured) : 1;
  if (node.kind === Kind.INLINE_FRAGMENT) return selectionDepth(node.selectionSet, fragments, measured);
  if (node.kind !== Kind.FRAGMENT_SPREAD) return 0;
  const name = node.name.value;
  const known = measured.get(name);
  if (known !== undefined) return known;
  measured.set(name, 0);
  const depth = selectionDepth(fragments[name]?.selectionSet, fragments, measured);
  measured.set(name, depth);
  return depth;
}
