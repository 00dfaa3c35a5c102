import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { overLimit, type DocumentLimits, type LimitViolation } from './violation';

type ScanLimits = Pick<DocumentLimits, 'maxTokens' | 'maxDepth' | 'maxFilterDepth'>;

/** Braces a selection may nest beyond maxDepth: inline fragments and introspection's type references nest without adding depth. */
const SELECTION_SLACK = 16;
/** Brackets an argument may nest beyond two per and/or level: the argument itself, `where`, a column, struct paths, an operator, a list. */
const ARGUMENT_SLACK = 16;

/** How deep a document's brackets nest: selection braces, and brackets inside an argument list or variable definitions. */
interface Nesting {
  readonly selection: number;
  readonly argument: number;
}

/**
 * Reads a document's tokens with graphql-js's own lexer (no recursion; the same count as the
 * parser's `maxTokens`), stopping one past the limit, and measures how deep its brackets nest.
 * Run before parsing: the parser never sees a huge document, nor one nested deeper than any
 * document within maxDepth and maxFilterDepth could be (its recursion would overflow the stack).
 * A lexical error is left for the parser to report as GRAPHQL_PARSE_FAILED.
 */
export function scanDocument(source: string, limits: ScanLimits): LimitViolation | null {
  const lexer = new Lexer(new Source(source));
  const open = { parens: 0, selection: 0, argument: 0 };
  const deepest = { selection: 0, argument: 0 };
  let tokens = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF && tokens <= limits.maxTokens; token = lexer.advance()) {
      tokens += 1;
      track(token.kind, open);
      deepest.selection = Math.max(deepest.selection, open.selection);
      deepest.argument = Math.max(deepest.argument, open.argument);
    }
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  if (tokens > limits.maxTokens) return overLimit('maxTokens', limits.maxTokens, `document has more than ${limits.maxTokens} tokens`);
  return checkNesting(deepest, limits);
}

/** Opens and closes brackets: a brace outside parentheses is a selection set, anything inside them a value or a type. */
function track(kind: TokenKind, open: { parens: number; selection: number; argument: number }): void {
  switch (kind) {
    case TokenKind.PAREN_L:
      open.parens += 1;
      open.argument += 1;
      return;
    case TokenKind.PAREN_R:
      open.parens -= 1;
      open.argument -= 1;
      return;
    case TokenKind.BRACE_L:
      if (open.parens > 0) open.argument += 1;
      else open.selection += 1;
      return;
    case TokenKind.BRACE_R:
      if (open.parens > 0) open.argument -= 1;
      else open.selection -= 1;
      return;
    case TokenKind.BRACKET_L:
      open.argument += 1;
      return;
    case TokenKind.BRACKET_R:
      open.argument -= 1;
      return;
    default:
  }
}

function checkNesting(deepest: Nesting, limits: ScanLimits): LimitViolation | null {
  if (deepest.selection > limits.maxDepth + SELECTION_SLACK) {
    return overLimit('maxDepth', limits.maxDepth, `document nests selections ${deepest.selection} deep`);
  }
  if (deepest.argument > 2 * limits.maxFilterDepth + ARGUMENT_SLACK) {
    return overLimit('maxFilterDepth', limits.maxFilterDepth, `an argument nests brackets ${deepest.argument} deep`);
  }
  return null;
}
