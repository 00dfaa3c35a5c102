import type { GlueTable } from '../catalog/types';
import { and, between, compare, inList, isNull, like, not, or } from '../query/expr';
import type { CompareOp, Expr, Literal } from '../query/types';
import { isTableColumn, type NamePart, resolveColumn, type ResolvedColumn } from './row-filter-columns';
import { KEYWORDS, RowFilterError, type Token, tokenize } from './row-filter-lexer';
import { type RawConstant, translateLikePattern, typeConstant } from './row-filter-literals';

export { formatRowFilter } from './row-filter-format';

/**
 * Parses Lake Formation data cells filter row expressions (the PartiQL subset AWS documents in
 * "PartiQL support in row filter expressions") into our expression tree, checked against the
 * table's Glue columns. Never throws for bad input: the error names the 0-based position.
 */
export type RowFilterResult = { ok: true; expr: Expr } | { ok: false; error: string; position: number };

/** "Total length of the expression must be less than 2048 characters." */
export const ROW_FILTER_LENGTH_LIMIT = 2048;
/** Parentheses and NOT nest at most this deep, so a hostile filter cannot exhaust the stack. */
const MAX_DEPTH = 200;

const COMPARE_OPS: Readonly<Record<string, CompareOp>> = { '=': 'eq', '<>': 'ne', '!=': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '||']);

export function parseRowFilter(text: string, table: GlueTable): RowFilterResult {
  if (typeof text !== 'string') return { ok: false, error: 'the row filter is not a string at position 0', position: 0 };
  try {
    checkLength(text);
    return { ok: true, expr: new Parser(tokenize(text), table).parse() };
  } catch (error) {
    if (error instanceof RowFilterError) {
      return { ok: false, error: `${error.message} at position ${error.position}`, position: error.position };
    }
    throw error;
  }
}

function checkLength(text: string): void {
  if (text.trim() === '') throw new RowFilterError('the row filter is empty', 0);
  const chars = Array.from(text);
  if (chars.length >= ROW_FILTER_LENGTH_LIMIT) {
    const position = chars.slice(0, ROW_FILTER_LENGTH_LIMIT - 1).join('').length;
    throw new RowFilterError(`the row filter has ${chars.length} characters; it must be under ${ROW_FILTER_LENGTH_LIMIT}`, position);
  }
}

function isWord(token: Token, word: string): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === word;
}

function show(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter';
  if (token.kind === 'string') return 'a string';
  return `"${token.text}"`;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly table: GlueTable,
  ) {}

  parse(): Expr {
    const expr = this.parseOr();
    const token = this.peek();
    if (token.kind !== 'end') this.failUnexpected(token, 'expected AND, OR or the end of the filter');
    return expr;
  }

  /** `a OR b AND c` is `a OR (b AND c)`; chains (parenthesised or not) are flattened. */
  private parseOr(): Expr {
    const args = [this.parseAnd()];
    while (isWord(this.peek(), 'or')) {
      this.next();
      args.push(this.parseAnd());
    }
    return args.length === 1 ? args[0]! : or(args.flatMap((arg) => (arg.kind === 'or' ? arg.args : [arg])));
  }

  private parseAnd(): Expr {
    const args = [this.parseNot()];
    while (isWord(this.peek(), 'and')) {
      this.next();
      args.push(this.parseNot());
    }
    return args.length === 1 ? args[0]! : and(args.flatMap((arg) => (arg.kind === 'and' ? arg.args : [arg])));
  }

  private parseNot(): Expr {
    const token = this.peek();
    if (isWord(token, 'not')) {
      this.next();
      return this.nested(token, () => not(this.parseNot()));
    }
    if (token.kind === 'symbol' && token.text === '(') {
      this.next();
      const expr = this.nested(token, () => this.parseOr());
      this.expectSymbol(')', 'expected ")"');
      return expr;
    }
    return this.parsePredicate();
  }

  private nested(token: Token, parse: () => Expr): Expr {
    if (this.depth >= MAX_DEPTH) throw new RowFilterError(`the row filter nests deeper than ${MAX_DEPTH} levels`, token.start);
    this.depth += 1;
    const expr = parse();
    this.depth -= 1;
    return expr;
  }

  private parsePredicate(): Expr {
    const col = this.parseColumn();
    const token = this.next();
    const op = token.kind === 'symbol' ? COMPARE_OPS[token.text] : undefined;
    if (op) return compare(op, col.path, this.parseConstant(col, token));
    if (isWord(token, 'is')) return this.parseIsNull(col, token);
    const negated = isWord(token, 'not');
    const keyword = negated ? this.next() : token;
    if (isWord(keyword, 'between')) {
      const low = this.parseConstant(col, keyword);
      const andToken = this.next();
      if (!isWord(andToken, 'and')) this.failUnexpected(andToken, 'expected AND in BETWEEN');
      const expr = between(col.path, low, this.parseConstant(col, andToken));
      return negated ? not(expr) : expr;
    }
    if (isWord(keyword, 'in')) return inList(col.path, this.parseList(col), negated);
    if (isWord(keyword, 'like')) return like(col.path, this.parseLikePattern(col, keyword), negated);
    if (negated) this.failUnexpected(keyword, 'expected BETWEEN, IN or LIKE after NOT');
    return this.failUnexpected(token, `expected an operator after "${col.label}"`);
  }

  /** `col`, `"col"`, `col.field.field`; a name followed by `(` is a function call. */
  private parseColumn(): ResolvedColumn {
    const token = this.peek();
    if (token.kind === 'word' && this.peek(1).kind === 'symbol' && this.peek(1).text === '(') {
      throw new RowFilterError(`functions are not allowed (${token.text})`, token.start);
    }
    if (this.startsConstant(token)) {
      throw new RowFilterError('expected a column name, found a constant (the column must come first)', token.start);
    }
    if (token.kind === 'word' && KEYWORDS.has(token.text.toLowerCase())) {
      throw new RowFilterError(`expected a column name, found ${token.text.toUpperCase()}`, token.start);
    }
    const parts: NamePart[] = [this.parseName('expected a column name')];
    while (this.peek().kind === 'symbol' && this.peek().text === '.') {
      this.next();
      parts.push(this.parseName('expected a field name after "."'));
    }
    const col = resolveColumn(parts, this.table);
    this.rejectArithmetic();
    return col;
  }

  private parseName(message: string): NamePart {
    const token = this.next();
    if (token.kind !== 'word' && token.kind !== 'quoted') this.failUnexpected(token, message);
    return { name: token.text, start: token.start };
  }

  private startsConstant(token: Token): boolean {
    if (token.kind === 'string' || token.kind === 'number') return true;
    if (token.kind === 'symbol') return token.text === '-';
    const typed = (isWord(token, 'date') || isWord(token, 'timestamp')) && this.peek(1).kind === 'string';
    return typed || isWord(token, 'true') || isWord(token, 'false');
  }

  private parseIsNull(col: ResolvedColumn, isToken: Token): Expr {
    const negated = isWord(this.peek(), 'not');
    if (negated) this.next();
    const token = this.next();
    if (!isWord(token, 'null')) this.failUnexpected(token, `expected ${negated ? 'NULL' : 'NULL or NOT NULL'} after IS`);
    if (col.partitionKey) {
      throw new RowFilterError(`IS ${negated ? 'NOT NULL' : 'NULL'} is not allowed on partition column "${col.label}"`, isToken.start);
    }
    return isNull(col.path, negated);
  }

  private parseList(col: ResolvedColumn): Literal[] {
    const open = this.expectSymbol('(', 'expected "(" after IN');
    const values = [this.parseConstant(col, open)];
    for (;;) {
      const token = this.next();
      if (token.kind === 'symbol' && token.text === ')') return values;
      if (token.kind !== 'symbol' || token.text !== ',') this.failUnexpected(token, 'expected "," or ")" in the IN list');
      values.push(this.parseConstant(col, token));
    }
  }

  private parseLikePattern(col: ResolvedColumn, likeToken: Token): Literal {
    if (col.type.kind !== 'string') {
      throw new RowFilterError(`LIKE needs a string column; "${col.label}" is ${col.typeText}`, likeToken.start);
    }
    const pattern = this.next();
    if (pattern.kind !== 'string') this.failUnexpected(pattern, 'expected a quoted pattern after LIKE');
    let escape: string | null = null;
    if (isWord(this.peek(), 'escape')) {
      this.next();
      const token = this.next();
      if (token.kind !== 'string' || token.text.length !== 1) this.failUnexpected(token, 'expected one quoted character after ESCAPE');
      escape = token.text;
    }
    this.rejectArithmetic();
    return { value: translateLikePattern(pattern.text, escape, pattern.start), type: { kind: 'string' } };
  }

  /** A constant typed by `col`; `after` is the token it follows, for the message. */
  private parseConstant(col: ResolvedColumn, after: Token): Literal {
    const literal = typeConstant(this.readConstant(after), col);
    this.rejectArithmetic();
    return literal;
  }

  private readConstant(after: Token): RawConstant {
    const token = this.next();
    const expected = `expected a constant after ${show(after).toUpperCase()}`;
    if (token.kind === 'string') return { kind: 'string', text: token.text, start: token.start };
    if (token.kind === 'number') return { kind: 'number', text: token.text, start: token.start };
    if (token.kind === 'symbol' && token.text === '-') {
      const number = this.next();
      if (number.kind !== 'number') this.failUnexpected(number, `expected a number after "-"`);
      return { kind: 'number', text: `-${number.text}`, start: token.start };
    }
    if (isWord(token, 'true') || isWord(token, 'false')) return { kind: 'boolean', text: token.text, start: token.start };
    if ((isWord(token, 'date') || isWord(token, 'timestamp')) && this.peek().kind === 'string') {
      const kind = token.text.toLowerCase() as 'date' | 'timestamp';
      return { kind, text: this.next().text, start: token.start };
    }
    if (isWord(token, 'null')) throw new RowFilterError('comparing with NULL is not allowed; use IS NULL or IS NOT NULL', token.start);
    if (token.kind === 'word' && this.peek().kind === 'symbol' && this.peek().text === '(') {
      throw new RowFilterError(`functions are not allowed (${token.text})`, token.start);
    }
    if ((token.kind === 'word' || token.kind === 'quoted') && isTableColumn(this.table, token.text)) {
      throw new RowFilterError(`column-to-column comparisons are not allowed ("${token.text}")`, token.start);
    }
    if (token.kind === 'quoted') {
      throw new RowFilterError(`${expected} (double quotes name a column; strings take single quotes)`, token.start);
    }
    throw new RowFilterError(expected, token.start);
  }

  private rejectArithmetic(): void {
    const token = this.peek();
    if (token.kind === 'symbol' && ARITHMETIC.has(token.text)) {
      throw new RowFilterError(`arithmetic is not allowed ("${token.text}")`, token.start);
    }
  }

  private expectSymbol(symbol: string, message: string): Token {
    const token = this.next();
    if (token.kind !== 'symbol' || token.text !== symbol) this.failUnexpected(token, message);
    return token;
  }

  private failUnexpected(token: Token, message: string): never {
    throw new RowFilterError(`${message}, found ${show(token)}`, token.start);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }
}
