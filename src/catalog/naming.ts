/** GraphQL naming conventions applied to catalog names. */

export function toCamelCase(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const [first = '', ...rest] = parts;
  const camel = first.charAt(0).toLowerCase() + first.slice(1) + rest.map(capitalize).join('');
  return /^[0-9]/.test(camel) ? `_${camel}` : camel;
}

export function toPascalCase(name: string): string {
  return capitalize(toCamelCase(name).replace(/^_/, ''));
}

export function toScreamingSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/** A naive English singular, good enough for element type names (`items` → `Item`). */
export function singular(name: string): string {
  if (/ies$/i.test(name)) return name.slice(0, -3) + 'y';
  if (/[^s]s$/i.test(name)) return name.slice(0, -1);
  return name;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
