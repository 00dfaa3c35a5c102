/**
 * SQL's three-valued logic and LIKE, written plainly for the test oracles (independent of src/):
 * `null` is "unknown", and a row is kept only when its predicate is `true`.
 */
export type Truth = true | false | null;

export function andAll(values: readonly Truth[]): Truth {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

export function orAll(values: readonly Truth[]): Truth {
  if (values.includes(true)) return true;
  return values.includes(null) ? null : false;
}

export function negate(value: Truth): Truth {
  return value === null ? null : !value;
}

/** Whether `order` (negative, zero, positive: a cell against its operand) satisfies a comparison operator. */
export function satisfiesOrder(op: string, order: number): boolean {
  switch (op) {
    case 'eq': return order === 0;
    case 'ne': return order !== 0;
    case 'gt': return order > 0;
    case 'gte': return order >= 0;
    case 'lt': return order < 0;
    case 'lte': return order <= 0;
    default: throw new Error(`unknown comparison operator ${op}`);
  }
}

/** A LIKE pattern as a regular expression: `%` any run, `_` one character, `\` escapes (unless turned off, as in PartiQL). */
export function likeRegex(pattern: string, backslashEscapes = true): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i]!;
    if (backslashEscapes && char === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i]!);
    else if (char === '%') source += '[\\s\\S]*';
    else if (char === '_') source += '[\\s\\S]';
    else source += escapeRegex(char);
  }
  return new RegExp(`^${source}$`, 'u');
}

function escapeRegex(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
