import type { Weighted } from './vocabulary';

/**
 * SQL text helpers for the generator. Every value here is a constant of ours (vocabulary,
 * counts, the seed), never user input, so rendering literals into the text is safe.
 */

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function literal(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

export function listLiteral(values: readonly (string | number | null)[]): string {
  return `[${values.map(literal).join(', ')}]`;
}

export function structLiteral(fields: Readonly<Record<string, string | number | null>>): string {
  return `{${Object.entries(fields).map(([key, value]) => `${literal(key)}: ${literal(value)}`).join(', ')}}`;
}

/**
 * `CASE` mapping a uniform draw in [0, 1) to a value with the given relative weights. `render`
 * turns a value into SQL (a literal by default; a struct literal for composite values).
 */
export function weightedCase<T>(draw: string, items: readonly Weighted<T>[], render: (value: T) => string = (value) => literal(value as never)): string {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let cumulative = 0;
  const branches = items.slice(0, -1).map((item) => {
    cumulative += item.weight;
    return `WHEN ${draw} < ${cumulative / total} THEN ${render(item.value)}`;
  });
  const last = items[items.length - 1];
  if (!last) throw new Error('weightedCase needs at least one item');
  return `CASE ${branches.join(' ')} ELSE ${render(last.value)} END`;
}

/**
 * The generator's only source of randomness: DuckDB's `hash` of (row key, seed, salt). Unlike
 * `random()`, a row's values depend only on its key, so the lake is identical for the same
 * (rows, seed) whatever the thread count or scheduling. Each column uses its own salt so the
 * draws are independent.
 *
 * DuckDB combines a multi-argument `hash` by XOR, so `hash(i, seed, 'a')` and `hash(i, seed, 'b')`
 * differ only by a constant mask and their draws are strongly correlated (r ≈ 0.9). Hashing the
 * result again (a 64-bit mixer) makes the streams independent.
 *
 * - `rhash(key, salt)`  a 64-bit unsigned hash
 * - `rnd(key, salt)`    a uniform double in [0, 1) (53 bits of the hash)
 * - `pick(list, key, salt)` one element of a list, uniformly
 *
 * Not TEMP: the generator's private in-memory database shares them with all its connections.
 */
export function randomMacrosSql(seed: number): string[] {
  const seedSql = `${Math.trunc(seed)}::BIGINT`;
  return [
    `CREATE OR REPLACE MACRO rhash(key, salt) AS hash(hash(key, ${seedSql}, salt))`,
    'CREATE OR REPLACE MACRO rnd(key, salt) AS (rhash(key, salt) >> 11)::DOUBLE / 9007199254740992.0',
    'CREATE OR REPLACE MACRO pick(list, key, salt) AS list[1 + (rhash(key, salt) % len(list))::BIGINT]',
  ];
}
