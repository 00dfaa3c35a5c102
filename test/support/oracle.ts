/**
 * A plain in-memory evaluation of the API's filter semantics (SQL three-valued logic), written
 * independently of the planner and SQL compiler, used as the oracle in tests.
 */
import { andAll, likeRegex, negate, orAll, satisfiesOrder, type Truth } from './three-valued';

export type Kind = 'string' | 'bigint' | 'int' | 'decimal' | 'timestamp' | 'double' | 'boolean' | 'struct';

export interface OracleColumn {
  readonly field: string;
  readonly column: string;
  readonly kind: Kind;
  readonly fields?: readonly OracleColumn[];
}

export type Filter = Record<string, unknown>;

export function matches(row: Record<string, unknown>, filter: Filter, columns: readonly OracleColumn[]): boolean {
  return evaluate(row, filter, columns) === true;
}

function evaluate(row: Record<string, unknown>, filter: Filter, columns: readonly OracleColumn[]): Truth {
  const parts: Truth[] = Object.entries(filter).map(([key, value]) => {
    if (key === 'and') return andAll((value as Filter[]).map((item) => evaluate(row, item, columns)));
    if (key === 'or') return orAll((value as Filter[]).map((item) => evaluate(row, item, columns)));
    if (key === 'not') return negate(evaluate(row, value as Filter, columns));
    const col = columns.find((candidate) => candidate.field === key);
    if (!col) throw new Error(`oracle: unknown field ${key}`);
    const cell = row[col.column];
    if (col.kind === 'struct') {
      return evaluate((cell ?? {}) as Record<string, unknown>, value as Filter, col.fields ?? []);
    }
    return andAll(Object.entries(value as Filter).map(([op, operand]) => operator(op, cell, operand, col.kind)));
  });
  return andAll(parts);
}

function operator(op: string, cell: unknown, operand: unknown, kind: Kind): Truth {
  if (op === 'isNull') return (cell === null || cell === undefined) === operand;
  if (op === 'in' || op === 'notIn') {
    const list = operand as unknown[];
    if (cell === null || cell === undefined) return null;
    const found = list.some((item) => compare(cell, item, kind) === 0);
    return op === 'in' ? found : !found;
  }
  if (cell === null || cell === undefined) return null;
  if (op === 'like' || op === 'notLike') {
    const hit = likeRegex(String(operand)).test(String(cell));
    return op === 'like' ? hit : !hit;
  }
  return satisfiesOrder(op, compare(cell, operand, kind));
}

/** Orders two values of one column kind; decimals and bigints compare exactly. */
export function compare(a: unknown, b: unknown, kind: Kind): number {
  switch (kind) {
    case 'bigint':
      return sign(BigInt(String(a)) - BigInt(String(b)));
    case 'decimal':
      return sign(scaled(String(a)) - scaled(String(b)));
    case 'int':
    case 'double':
      return sign(Number(a) - Number(b));
    case 'boolean':
      return Number(a) - Number(b);
    case 'timestamp':
      return cmp(timestampKey(String(a)), timestampKey(String(b)));
    default:
      return cmp(String(a), String(b));
  }
}

function scaled(text: string, scale = 12): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  return negative ? -value : value;
}

/** `2024-01-02 03:04:05[.ffffff]` or ISO with `T`/`Z` → a sortable fixed-width key. */
export function timestampKey(text: string): string {
  const offset = /[+-]\d{2}:\d{2}$/.exec(text);
  if (offset) {
    const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
    const utc = new Date(text).toISOString().slice(0, 19);
    return timestampKey(`${utc}.${fraction}`);
  }
  const [date = '', time = '00:00:00'] = text.replace('Z', '').split(/[T ]/);
  const [clock = '', fraction = ''] = time.split('.');
  return `${date} ${clock.padEnd(8, ':00')}.${fraction.padEnd(6, '0')}`;
}

function sign(value: bigint | number): number {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The sample lake's `sales.transactions` as the oracle sees it. */
export const TRANSACTION_COLUMNS: readonly OracleColumn[] = [
  { field: 'transactionId', column: 'transaction_id', kind: 'bigint' },
  { field: 'customerId', column: 'customer_id', kind: 'bigint' },
  { field: 'amount', column: 'amount', kind: 'decimal' },
  { field: 'currency', column: 'currency', kind: 'string' },
  { field: 'status', column: 'status', kind: 'string' },
  { field: 'channel', column: 'channel', kind: 'string' },
  { field: 'ts', column: 'ts', kind: 'timestamp' },
  { field: 'dt', column: 'dt', kind: 'string' },
];
