/**
 * The Redshift Data API's named parameters on PostgreSQL: `:name` → `$k` (one `$k` per distinct
 * name, in order of first use), values passed as text so the CASTs in the SQL decide the types, as
 * on Redshift. Names are skipped inside '…' literals (Redshift lexing: backslash escapes, `''`
 * doubles), "…" identifiers, `$tag$…$tag$` bodies, `--` and `/* … *\/` comments, and `::` casts.
 * A `:name` with no parameter of that name is left as written (PostgreSQL then reports a syntax
 * error and the statement FAILS, as Redshift would). Every declared parameter must be used: the
 * Data API rejects the request otherwise.
 */

export interface SqlParameterJson {
  readonly name: string;
  readonly value: string;
}

export interface BoundSql {
  readonly text: string;
  readonly values: string[];
}

export class ParameterError extends Error {}

const NAME = /[0-9A-Za-z_]+/y;
const DOLLAR_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;

export function bindNamedParameters(sql: string, parameters: readonly SqlParameterJson[]): BoundSql {
  const byName = new Map(parameters.map((parameter) => [parameter.name, parameter.value]));
  const positions = new Map<string, number>();
  const values: string[] = [];
  let text = '';
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const next = sql[i + 1];
    let end: number;
    if (char === "'") end = stringEnd(sql, i);
    else if (char === '"') end = identifierEnd(sql, i);
    else if (char === '-' && next === '-') end = lineEnd(sql, i);
    else if (char === '/' && next === '*') end = blockCommentEnd(sql, i);
    else if (char === '$' && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) end = dollarQuoteEnd(sql, i);
    else if (char === ':' && next === ':') end = i + 2;
    else if (char === ':') {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(sql)?.[0];
      if (name !== undefined && byName.has(name)) {
        let position = positions.get(name);
        if (position === undefined) {
          values.push(byName.get(name)!);
          position = values.length;
          positions.set(name, position);
        }
        text += `$${position}`;
        i += 1 + name.length;
        continue;
      }
      end = i + 1;
    } else end = i + 1;
    text += sql.slice(i, end);
    i = end;
  }
  const unused = parameters.filter((parameter) => !positions.has(parameter.name)).map((parameter) => parameter.name);
  if (unused.length > 0) throw new ParameterError(`The parameters ${unused.map((name) => `:${name}`).join(', ')} are not used in the SQL statement.`);
  return { text, values };
}

/** Past the closing quote of a '…' literal; `\x` escapes one character, `''` is a quote. */
function stringEnd(sql: string, start: number): number {
  for (let i = start + 1; i < sql.length; i += 1) {
    if (sql[i] === '\\') i += 1;
    else if (sql[i] === "'") {
      if (sql[i + 1] === "'") i += 1;
      else return i + 1;
    }
  }
  return sql.length;
}

function identifierEnd(sql: string, start: number): number {
  for (let i = start + 1; i < sql.length; i += 1) {
    if (sql[i] === '"') {
      if (sql[i + 1] === '"') i += 1;
      else return i + 1;
    }
  }
  return sql.length;
}

function lineEnd(sql: string, start: number): number {
  const end = sql.indexOf('\n', start);
  return end < 0 ? sql.length : end;
}

function blockCommentEnd(sql: string, start: number): number {
  const end = sql.indexOf('*/', start + 2);
  return end < 0 ? sql.length : end + 2;
}

/** Past a `$tag$…$tag$` body, or just past the `$` when no dollar quote starts here. */
function dollarQuoteEnd(sql: string, start: number): number {
  DOLLAR_TAG.lastIndex = start;
  const tag = DOLLAR_TAG.exec(sql)?.[0];
  if (tag === undefined) return start + 1;
  const close = sql.indexOf(tag, start + tag.length);
  return close < 0 ? sql.length : close + tag.length;
}
