/**
 * Tokenizer for Lake Formation row filter expressions (the PartiQL subset of data cells
 * filters). Positions are 0-based offsets into the filter text; every problem is raised as a
 * `RowFilterError` carrying the offset where it was found.
 */

export class RowFilterError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/**
 * `word`: a bare identifier or keyword (text as written). `quoted`: a double-quoted identifier
 * (text decoded). `string`: a single-quoted string (text decoded). `number`: an unsigned
 * numeric literal (text as written). `symbol`: punctuation or an operator. `end`: end of input.
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'symbol' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
}

/** Words with a meaning of their own: a column with one of these names must be double-quoted. */
export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'between', 'in', 'like', 'escape', 'is', 'null', 'true', 'false']);

/** Longest first, so `<=` wins over `<`. The arithmetic ones only exist to be rejected clearly. */
const SYMBOLS = ['<>', '!=', '>=', '<=', '||', '=', '<', '>', '(', ')', ',', '.', '+', '-', '*', '/', '%'] as const;

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMBER_TAIL = /[A-Za-z0-9_.]/;
const SPACE = /\s/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (SPACE.test(text[pos]!)) {
      pos += 1;
      continue;
    }
    const token = readToken(text, pos);
    tokens.push(token.token);
    pos = token.next;
  }
  tokens.push({ kind: 'end', text: '', start: text.length });
  return tokens;
}

function readToken(text: string, pos: number): { token: Token; next: number } {
  const char = text[pos]!;
  if (char === "'") return readQuoted(text, pos, "'", 'string');
  if (char === '"') return readQuoted(text, pos, '"', 'quoted');
  const word = matchAt(WORD, text, pos);
  if (word !== null) return { token: { kind: 'word', text: word, start: pos }, next: pos + word.length };
  const number = matchAt(NUMBER, text, pos);
  if (number !== null) {
    const next = pos + number.length;
    if (next < text.length && NUMBER_TAIL.test(text[next]!)) {
      throw new RowFilterError(`malformed number "${text.slice(pos, next + 1)}"`, pos);
    }
    return { token: { kind: 'number', text: number, start: pos }, next };
  }
  const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, pos));
  if (symbol !== undefined) return { token: { kind: 'symbol', text: symbol, start: pos }, next: pos + symbol.length };
  throw new RowFilterError(`unexpected character "${char}"`, pos);
}

/** Reads `'...'` or `"..."`, where a doubled quote stands for one quote character. */
function readQuoted(text: string, start: number, quote: string, kind: 'string' | 'quoted'): { token: Token; next: number } {
  let value = '';
  let pos = start + 1;
  for (;;) {
    const close = text.indexOf(quote, pos);
    if (close < 0) {
      throw new RowFilterError(kind === 'string' ? 'unterminated string' : 'unterminated quoted name', start);
    }
    value += text.slice(pos, close);
    if (text[close + 1] !== quote) {
      if (kind === 'quoted' && value === '') throw new RowFilterError('empty quoted name', start);
      return { token: { kind, text: value, start }, next: close + 1 };
    }
    value += quote;
    pos = close + 2;
  }
}

function matchAt(pattern: RegExp, text: string, pos: number): string | null {
  pattern.lastIndex = pos;
  const match = pattern.exec(text);
  return match ? match[0] : null;
}
