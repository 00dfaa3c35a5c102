import {
  COLUMNS,
  KIND,
  type AggregateQuery,
  type CallerQuery,
  type Col,
  type ColumnSpec,
  type Const,
  type Direction,
  type Kind,
  type MaskedRow,
  type PermissionSpec,
  type Pred,
  type Row,
  type RowQuery,
  type Setup,
  type TagAssignment,
  type TagKey,
  type UserFilter,
  type Value,
} from './lf-model';
import { andAll, likeRegex, negate, orAll, satisfiesOrder, type Truth } from './three-valued';

/**
 * The reference evaluator: LAKE_FORMATION.md written out plainly over in-memory rows, sharing
 * nothing with src/policy or the planner. Grants become (row predicate, column set) pairs; row
 * predicates and caller filters use SQL three-valued logic; the caller's filter, order and
 * aggregates are applied to the masked rows.
 */

// ---------------------------------------------------------------------------------------------
// Values.

/** An exact decimal as an integer of millionths. */
function scaled(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const value = BigInt((whole || '0') + fraction.padEnd(6, '0').slice(0, 6));
  return negative ? -value : value;
}

function sign(value: bigint): number {
  return value > 0n ? 1 : value < 0n ? -1 : 0;
}

/** Orders two non-null values of one column kind; numbers exactly, strings by code unit (ASCII here). */
export function compareValues(kind: Kind, a: string | number, b: string | number): number {
  if (kind === 'string') {
    const [x, y] = [String(a), String(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return sign(scaled(String(a)) - scaled(String(b)));
}

/** `12.30` → `12.3`, `5.00` → `5`, `-0.50` → `-0.5`: one spelling per decimal value. */
export function normalizeDecimal(text: string): string {
  let [whole = '0', fraction = ''] = text.split('.');
  fraction = fraction.replace(/0+$/, '');
  const negative = whole.startsWith('-');
  whole = whole.replace('-', '').replace(/^0+(?=\d)/, '');
  const body = fraction ? `${whole}.${fraction}` : whole;
  return negative && body !== '0' ? `-${body}` : body;
}

/** A value as it must compare after the round trip: decimals normalised, the rest as they are. */
export function normalizeValue(col: Col, value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (KIND[col] === 'decimal') return normalizeDecimal(String(value));
  if (KIND[col] === 'bigint') return String(value);
  return value as Value;
}

// ---------------------------------------------------------------------------------------------
// Row filters of data cells filters, on raw rows.

function constantOrder(kind: Kind, cell: string | number, value: Const): number {
  return compareValues(kind, cell, value.text);
}

export function evalPred(pred: Pred, row: Row): Truth {
  switch (pred.kind) {
    case 'and':
      return andAll(pred.args.map((arg) => evalPred(arg, row)));
    case 'or':
      return orAll(pred.args.map((arg) => evalPred(arg, row)));
    case 'not':
      return negate(evalPred(pred.arg, row));
    case 'isNull':
      return (row[pred.col] === null) !== pred.negated;
    default:
  }
  const cell = row[pred.col];
  if (cell === null) return null;
  const kind = KIND[pred.col];
  switch (pred.kind) {
    case 'cmp': {
      const order = constantOrder(kind, cell, pred.value);
      switch (pred.op) {
        case '=': return order === 0;
        case '<>':
        case '!=': return order !== 0;
        case '>': return order > 0;
        case '<': return order < 0;
        case '>=': return order >= 0;
        case '<=': return order <= 0;
      }
      break;
    }
    case 'in':
      return pred.values.some((value) => constantOrder(kind, cell, value) === 0);
    case 'between':
      return constantOrder(kind, cell, pred.low) >= 0 && constantOrder(kind, cell, pred.high) <= 0;
    case 'like':
      // PartiQL LIKE without ESCAPE: no escape character at all.
      return likeRegex(pred.pattern, false).test(String(cell));
  }
  throw new Error(`reference: unknown predicate ${JSON.stringify(pred)}`);
}

// ---------------------------------------------------------------------------------------------
// Grants → the caller's access to shop.items.

export interface ReadGrant {
  /** null: all rows. */
  readonly rows: Pred | null;
  readonly columns: ReadonlySet<Col>;
}

export interface Access {
  /** Some permission (any kind, DESCRIBE included) reaches the table: it exists for the caller. */
  readonly listed: boolean;
  /** Grants that let the caller read (SELECT or ALL, at least one column). */
  readonly grants: readonly ReadGrant[];
  /** The caller's columns, in table order; empty when it may not read the table. */
  readonly columns: readonly Col[];
}

function selectColumns(spec: ColumnSpec): Set<Col> {
  if ('names' in spec) return new Set(COLUMNS.filter((name) => spec.names.includes(name)));
  return new Set(COLUMNS.filter((name) => !spec.excluded.includes(name)));
}

/** database → table → column; a lower level overrides a key. */
function effectiveTags(setup: Setup, column: Col | null): TagAssignment {
  const { database, table, columns } = setup.tags;
  return { ...database, ...table, ...(column === null ? {} : columns[column]) };
}

/** Keys ANDed, the values of one key ORed. */
function tagsMatch(tags: TagAssignment, expression: readonly { key: string; values: readonly string[] }[]): boolean {
  return expression.every((pair) => {
    const value = tags[pair.key as TagKey];
    return value !== undefined && pair.values.includes(value);
  });
}

interface Reach {
  readonly reaches: boolean;
  readonly rows: Pred | null;
  readonly columns: Set<Col>;
}

function reachOf(permission: PermissionSpec, setup: Setup): Reach {
  const resource = permission.resource;
  switch (resource.kind) {
    case 'table':
    case 'tableWildcard':
      return { reaches: true, rows: null, columns: new Set(COLUMNS) };
    case 'columns':
      return { reaches: true, rows: null, columns: selectColumns(resource.columns) };
    case 'cellsFilter': {
      const filter = setup.filters[resource.filter]!;
      return { reaches: true, rows: filter.row, columns: selectColumns(filter.columns) };
    }
    case 'tagPolicy': {
      const columns = new Set(COLUMNS.filter((name) => tagsMatch(effectiveTags(setup, name), resource.expression)));
      // The policy reaches the table when the table's own (inherited) tags match, or a column's do.
      return { reaches: columns.size > 0 || tagsMatch(effectiveTags(setup, null), resource.expression), rows: null, columns };
    }
  }
}

export function resolveCallerAccess(setup: Setup, principals: readonly string[]): Access {
  const holders = new Set([...principals, 'IAM_ALLOWED_PRINCIPALS']);
  const mine = setup.permissions.filter((permission) => holders.has(permission.principal));
  const reaches = mine.map((permission) => ({ permission, reach: reachOf(permission, setup) }));
  const grants = reaches
    .filter(({ permission, reach }) => permission.permissions.some((name) => name === 'SELECT' || name === 'ALL') && reach.columns.size > 0)
    .map(({ reach }) => ({ rows: reach.rows, columns: reach.columns }));
  const columns = COLUMNS.filter((name) => grants.some((grant) => grant.columns.has(name)));
  return { listed: reaches.some(({ reach }) => reach.reaches), grants, columns };
}

/** Visible rows (any grant's predicate holds) with each cell kept only where a covering grant holds. */
export function maskRows(rows: readonly Row[], access: Access): MaskedRow[] {
  if (access.columns.length === 0) return [];
  return rows.flatMap((row) => {
    const holds = access.grants.map((grant) => grant.rows === null || evalPred(grant.rows, row) === true);
    if (!holds.some(Boolean)) return [];
    const masked: MaskedRow = {};
    for (const name of access.columns) {
      const visible = access.grants.some((grant, index) => holds[index] && grant.columns.has(name));
      masked[name] = visible ? row[name] : null;
    }
    return [masked];
  });
}

// ---------------------------------------------------------------------------------------------
// The caller's filter, order and aggregates, on the masked rows.

export function evalFilter(filter: UserFilter, row: MaskedRow): Truth {
  return andAll(Object.entries(filter).map(([key, value]): Truth => {
    if (key === 'and') return andAll((value as UserFilter[]).map((item) => evalFilter(item, row)));
    if (key === 'or') return orAll((value as UserFilter[]).map((item) => evalFilter(item, row)));
    if (key === 'not') return negate(evalFilter(value as UserFilter, row));
    const col = key as Col;
    if (!(col in row)) throw new Error(`reference: filter on a column the caller cannot see: ${col}`);
    const cell = row[col] ?? null;
    return andAll(Object.entries(value as Record<string, unknown>).map(([op, operand]) => userOperator(col, op, cell, operand)));
  }));
}

function userOperator(col: Col, op: string, cell: Value, operand: unknown): Truth {
  if (op === 'isNull') return (cell === null) === operand;
  if (cell === null) return null;
  const kind = KIND[col];
  if (op === 'in' || op === 'notIn') {
    const found = (operand as (string | number)[]).some((item) => compareValues(kind, cell, item) === 0);
    return op === 'in' ? found : !found;
  }
  if (op === 'like' || op === 'notLike') {
    const hit = likeRegex(String(operand), true).test(String(cell));
    return op === 'like' ? hit : !hit;
  }
  return satisfiesOrder(op, compareValues(kind, cell, operand as string | number));
}

export interface SortTerm {
  readonly col: Col;
  readonly direction: Direction;
}

/** The caller's order, then the primary key (id ASC, nulls last) when it is visible and not ordered on. */
export function sortTerms(query: RowQuery, columns: readonly Col[]): SortTerm[] {
  const terms: SortTerm[] = query.orderBy.map((term) => ({ col: term.col, direction: term.direction }));
  if (columns.includes('id') && !terms.some((term) => term.col === 'id')) terms.push({ col: 'id', direction: 'ASC' });
  return terms;
}

function compareBy(terms: readonly SortTerm[], a: MaskedRow, b: MaskedRow): number {
  for (const term of terms) {
    const x = a[term.col] ?? null;
    const y = b[term.col] ?? null;
    if (x === null && y === null) continue;
    const nullsFirst = term.direction.endsWith('NULLS_FIRST');
    if (x === null) return nullsFirst ? -1 : 1;
    if (y === null) return nullsFirst ? 1 : -1;
    const order = compareValues(KIND[term.col], x, y);
    if (order !== 0) return term.direction.startsWith('DESC') ? -order : order;
  }
  return 0;
}

/**
 * The rows the API must return, in order, cut into runs of rows the order cannot tell apart
 * (equal on every sort key): within a run any order is right.
 */
export function expectedRowRuns(masked: readonly MaskedRow[], query: RowQuery, columns: readonly Col[]): MaskedRow[][] {
  const terms = sortTerms(query, columns);
  const selected = masked.filter((row) => query.where === null || evalFilter(query.where, row) === true);
  const sorted = [...selected].sort((a, b) => compareBy(terms, a, b));
  const runs: MaskedRow[][] = [];
  for (const row of sorted) {
    const run = runs[runs.length - 1];
    if (run && compareBy(terms, run[0]!, row) === 0) run.push(row);
    else runs.push([row]);
  }
  return runs.map((run) => run.map((row) => project(row, query.fields)));
}

export function project(row: MaskedRow, fields: readonly Col[]): MaskedRow {
  return Object.fromEntries(fields.map((field) => [field, normalizeValue(field, row[field] ?? null)]));
}

function nonNull(rows: readonly MaskedRow[], col: Col): (string | number)[] {
  return rows.map((row) => row[col] ?? null).filter((value): value is string | number => value !== null);
}

/** Exact sum, normalised like a decimal (an integer sum has no fraction to strip). */
function sumOf(values: readonly (string | number)[]): Value {
  if (values.length === 0) return null;
  const total = values.reduce<bigint>((acc, value) => acc + scaled(String(value)), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(7, '0');
  return normalizeDecimal(`${negative ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`);
}

function extreme(col: Col, values: readonly (string | number)[], pick: 1 | -1): Value {
  if (values.length === 0) return null;
  const best = values.reduce((acc, value) => (compareValues(KIND[col], value, acc) * pick > 0 ? value : acc));
  return normalizeValue(col, best);
}

/** One object per group, shaped like the API's answer (counts as strings). */
export function expectedAggregate(masked: readonly MaskedRow[], query: AggregateQuery): Record<string, unknown>[] {
  const selected = masked.filter((row) => query.where === null || evalFilter(query.where, row) === true);
  const groups = new Map<string, MaskedRow[]>();
  for (const row of selected) {
    const key = JSON.stringify(query.groupBy.map((col) => normalizeValue(col, row[col] ?? null)));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  // Without groupBy there is exactly one group, even over no rows.
  if (query.groupBy.length === 0 && groups.size === 0) groups.set('[]', []);
  return [...groups.values()].map((rows) => {
    const out: Record<string, unknown> = {};
    if (query.keyFields.length > 0) {
      out['key'] = Object.fromEntries(query.keyFields.map((col) => [col, query.groupBy.includes(col) ? normalizeValue(col, rows[0]![col] ?? null) : null]));
    }
    if (query.count) out['count'] = String(rows.length);
    if (query.countDistinct.length > 0) {
      out['countDistinct'] = Object.fromEntries(query.countDistinct.map((col) => [col, String(new Set(nonNull(rows, col).map((value) => normalizeValue(col, value))).size)]));
    }
    if (query.sum.length > 0) out['sum'] = Object.fromEntries(query.sum.map((col) => [col, sumOf(nonNull(rows, col))]));
    if (query.min.length > 0) out['min'] = Object.fromEntries(query.min.map((col) => [col, extreme(col, nonNull(rows, col), -1)]));
    if (query.max.length > 0) out['max'] = Object.fromEntries(query.max.map((col) => [col, extreme(col, nonNull(rows, col), 1)]));
    return out;
  });
}

/** Every column the query names (selection, filter, order, grouping, measures). */
export function columnsNamed(query: CallerQuery): Set<Col> {
  const names = new Set<Col>();
  const walk = (filter: UserFilter | null): void => {
    if (!filter) return;
    for (const [key, value] of Object.entries(filter)) {
      if (key === 'and' || key === 'or') (value as UserFilter[]).forEach(walk);
      else if (key === 'not') walk(value as UserFilter);
      else names.add(key as Col);
    }
  };
  walk(query.where);
  if (query.kind === 'rows') {
    query.fields.forEach((col) => names.add(col));
    query.orderBy.forEach((term) => names.add(term.col));
  } else {
    [...query.groupBy, ...query.keyFields, ...query.countDistinct, ...query.sum, ...query.min, ...query.max].forEach((col) => names.add(col));
  }
  return names;
}

