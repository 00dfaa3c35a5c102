import { normalizeValue } from './lf-reference';
import { COLUMNS, type CallerQuery, type Col, type MaskedRow, type UserFilter } from './lf-model';

/**
 * Caller queries as GraphQL text. Arguments are written inline (not as variables), so a hidden
 * field anywhere in them fails validation exactly like a typo would.
 */

class EnumValue {
  constructor(readonly name: string) {}
}

function literal(value: unknown): string {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return `{ ${Object.entries(value as Record<string, unknown>).map(([key, item]) => `${key}: ${literal(item)}`).join(', ')} }`;
}

function upper(col: Col): string {
  return col.toUpperCase();
}

function args(entries: readonly [string, unknown][]): string {
  const present = entries.filter(([, value]) => value !== null && value !== undefined);
  return present.length === 0 ? '' : `(${present.map(([key, value]) => `${key}: ${literal(value)}`).join(', ')})`;
}

function block(name: string, fields: readonly string[]): string {
  return fields.length === 0 ? '' : ` ${name} { ${fields.join(' ')} }`;
}

export function renderQuery(query: CallerQuery): string {
  const where: UserFilter | null = query.where;
  if (query.kind === 'rows') {
    const orderBy = query.orderBy.length > 0 ? query.orderBy.map((term) => ({ [term.col]: new EnumValue(term.direction) })) : null;
    return `{ items${args([['where', where], ['orderBy', orderBy], ['limit', 1000]])} { ${query.fields.join(' ')} } }`;
  }
  const groupBy = query.groupBy.length > 0 ? query.groupBy.map((col) => new EnumValue(upper(col))) : null;
  const selection = [
    block('key', query.keyFields),
    query.count ? ' count' : '',
    block('countDistinct', query.countDistinct),
    block('sum', query.sum),
    block('min', query.min),
    block('max', query.max),
  ].join('');
  return `{ itemsAggregate${args([['where', where], ['groupBy', groupBy], ['limit', 1000]])} {${selection} } }`;
}

/** An API row with its values normalised like the reference's. */
export function normalizeRow(row: Record<string, unknown>): MaskedRow {
  return Object.fromEntries(Object.entries(row).map(([field, value]) => [field, normalizeValue(field as Col, value)]));
}

/** An API aggregate row with decimals normalised; counts stay strings. */
export function normalizeAggregateRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [group, value] of Object.entries(row)) {
    if (value === null || typeof value !== 'object') {
      out[group] = value;
      continue;
    }
    out[group] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([field, item]) => {
      if (!COLUMNS.includes(field as Col)) return [field, item];
      if (group === 'countDistinct') return [field, item];
      if (group === 'sum') return [field, item === null ? null : normalizeValue('price', item)];
      return [field, normalizeValue(field as Col, item)];
    }));
  }
  return out;
}

/** A canonical text for a value, so multisets of rows compare by sorting. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

export function sortedMultiset<T>(items: readonly T[]): string[] {
  return items.map(canonical).sort();
}
