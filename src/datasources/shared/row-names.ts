/** Row keys from column labels: a repeated name gets `_2`, `_3`, ... so no value is lost. */
export function uniqueNames(bases: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return bases.map((base) => {
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}
