import type { Literal, ValueType } from '../query/types';

/**
 * Turns a value GraphQL has already coerced through our scalars into a typed literal.
 * Decimals keep their own precision and scale so a bound value is never rounded.
 */
export function toLiteral(value: unknown, type: ValueType): Literal {
  switch (type.kind) {
    case 'decimal':
      return { value: String(value), type: decimalTypeOf(String(value)) };
    case 'timestamp':
      return { value: String(value).replace('T', ' ').replace(/Z$/, ''), type };
    case 'bigint':
    case 'date':
    case 'string':
      return { value: String(value), type };
    case 'boolean':
      return { value: Boolean(value), type };
    case 'int':
    case 'float':
    case 'double':
      return { value: Number(value), type };
  }
}

function decimalTypeOf(text: string): ValueType {
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const scale = Math.min(fraction.length, 37);
  const precision = Math.min(Math.max(whole.replace(/^0+/, '').length + scale, scale + 1, 1), 38);
  return { kind: 'decimal', precision, scale };
}
