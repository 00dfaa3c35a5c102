/**
 * Athena's ExecutionParameters as the emulator binds them: each must be one Trino literal, and
 * they replace the `?` placeholders outside string literals, quoted identifiers and comments.
 */

const STRING_LITERAL = /^'(?:[^']|'')*'$/s;
const NUMBER_LITERAL = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const KEYWORD_LITERAL = /^(?:true|false|null)$/i;
const TYPED_LITERAL = /^(boolean|tinyint|smallint|integer|bigint|real|double|decimal|date|time|timestamp|varchar|char)\s+('(?:[^']|'')*')$/is;

/** One execution parameter (a Trino literal) as DuckDB SQL; throws for anything but a literal. */
export function parameterSql(text: string): string {
  const trimmed = text.trim();
  if (STRING_LITERAL.test(trimmed) || NUMBER_LITERAL.test(trimmed) || KEYWORD_LITERAL.test(trimmed)) return trimmed;
  const typed = TYPED_LITERAL.exec(trimmed);
  if (typed) {
    const type = typed[1]!.toUpperCase();
    const literal = typed[2]!;
    if (type === 'DECIMAL') {
      const digits = /^'(-?)(\d+)(?:\.(\d+))?'$/.exec(literal);
      if (!digits) throw new Error(`INVALID_LITERAL: line 1:1: '${literal.slice(1, -1)}' is not a valid decimal literal`);
      const whole = digits[2]!.replace(/^0+/, '');
      const scale = (digits[3] ?? '').length;
      return `CAST(${literal} AS DECIMAL(${Math.max(whole.length + scale, scale, 1)},${scale}))`;
    }
    return `CAST(${literal} AS ${type})`;
  }
  throw new Error(`INVALID_PARAMETER_USAGE: line 1:1: execution parameter is not a literal: ${text.length > 60 ? `${text.slice(0, 60)}...` : text}`);
}

/** Replaces each `?` outside strings, quoted identifiers and comments with the next parameter. */
export function substituteParameters(sql: string, parameters: readonly string[]): string {
  let out = '';
  let used = 0;
  let placeholders = 0;
  for (let i = 0; i < sql.length; i += 1) {
    const char = sql[i]!;
    if (char === "'" || char === '"') {
      const end = closingQuote(sql, i, char);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (char === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (char === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (char === '?') {
      placeholders += 1;
      const parameter = parameters[used];
      used += 1;
      out += parameter === undefined ? '?' : parameterSql(parameter);
    } else {
      out += char;
    }
  }
  if (placeholders !== parameters.length) {
    throw new Error(`INVALID_PARAMETER_USAGE: line 1:1: Incorrect number of parameters: expected ${placeholders} but found ${parameters.length}`);
  }
  return out;
}

function closingQuote(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i += 1) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 1;
      else return i;
    }
  }
  return sql.length - 1;
}

// ---- results --------------------------------------------------------------------------------
