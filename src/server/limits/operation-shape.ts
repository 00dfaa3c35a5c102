import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  Kind, TypeInfo, ValidationContext, visit, visitInParallel, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { selectionDepth } from './depth';
import { fragmentsOf, type Fragments } from './fragments';
import { firstViolation, overLimit, type DocumentLimits, type LimitViolation } from './violation';

/** The largest count over the document's operations: every operation must be within the limits. */
interface Shape {
  readonly aliases: number;
  readonly directives: number;
  readonly rootFields: number;
  readonly depth: number;
}

/**
 * Checks a parsed document before graphql-js validates it (validation of a large document can
 * take hundreds of milliseconds): aliases, directives, root fields and selection depth, the
 * largest of each over its operations, fragments expanded.
 */
export function checkOperationShape(schema: GraphQLSchema, document: DocumentNode, limits: DocumentLimits): LimitViolation | null {
  const shape = measureShape(schema, document);
  return firstViolation([
    () => (shape.aliases > limits.maxAliases ? overLimit('maxAliases', limits.maxAliases, `an operation has ${shape.aliases} aliases`) : null),
    () => (shape.rootFields > limits.maxRootFields ? overLimit('maxRootFields', limits.maxRootFields, `an operation selects ${shape.rootFields} root fields`) : null),
    () => (shape.directives > limits.maxDirectives ? overLimit('maxDirectives', limits.maxDirectives, `an operation has ${shape.directives} directives`) : null),
    () => (shape.depth > limits.maxDepth ? overLimit('maxDepth', limits.maxDepth, `an operation is ${shape.depth} fields deep`) : null),
  ]);
}

function measureShape(schema: GraphQLSchema, document: DocumentNode): Shape {
  const operations = document.definitions.filter((def): def is OperationDefinitionNode => def.kind === Kind.OPERATION_DEFINITION);
  const fragments = fragmentsOf(document);
  const { aliases, directives } = countWithArmor(schema, document);
  return {
    aliases,
    directives,
    rootFields: Math.max(0, ...operations.map((operation) => countFields(operation.selectionSet, fragments, new Set()))),
    depth: Math.max(0, ...operations.map((operation) => selectionDepth(operation.selectionSet, fragments))),
  };
}

/**
 * graphql-armor's alias and directive visitors do the counting (fragments followed once,
 * `__typename` aliases free); with no ceiling of their own they report every operation's count
 * through `onAccept`, and the limit is judged here so the answer is LIMIT_EXCEEDED naming it.
 * They need a validation context but no type information, so the document is visited without
 * graphql-js's `validate` (which tracks types at every node).
 */
function countWithArmor(schema: GraphQLSchema, document: DocumentNode): { aliases: number; directives: number } {
  const counts = { aliases: 0, directives: 0 };
  const largest = (key: keyof typeof counts) => [(_context: unknown, details: { n: number }) => {
    counts[key] = Math.max(counts[key], details.n);
  }];
  const { validationRules } = new ApolloArmor({
    maxAliases: { n: Infinity, propagateOnRejection: false, onAccept: largest('aliases') },
    maxDirectives: { n: Infinity, propagateOnRejection: false, onAccept: largest('directives') },
    maxDepth: { enabled: false },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => undefined);
  visit(document, visitInParallel(validationRules.map((rule) => rule(context))));
  return counts;
}

/** Field selections at one level, each fragment expanded once as execution does; repeats of a field count, since each is validated. */
function countFields(set: SelectionSetNode | undefined, fragments: Fragments, expanded: Set<string>): number {
  let count = 0;
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) count += 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countFields(selection.selectionSet, fragments, expanded);
    else if (!expanded.has(selection.name.value)) {
      expanded.add(selection.name.value);
      count += countFields(fragments[selection.name.value]?.selectionSet, fragments, expanded);
    }
  }
  return count;
}
