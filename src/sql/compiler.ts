import type {
  AggregateQuery, ColumnPath, Expr, ExprKind, ExprOf, Interval, Literal, LogicalQuery, Measure, OrderTerm, PeriodComparison, RowQuery, Source, ValueType,
} from '../query/types';
import { columnsRead } from '../query/columns';
import { shiftTime } from './standard';
import type { BoundParam, CompiledQuery, Dialect } from './types';

const SOURCE_ALIAS = 't';
const VIEW_INNER_ALIAS = 'v';
const ROW_NUMBER_ALIAS = '__lakegate_rn';
const BRANCH_ALIAS = 'p';
/** The column telling compared periods apart (0 current, 1 previous). */
const PERIOD_COLUMN = '__lakegate_period';

const COMPARE_SQL = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
/** Backslash as a standard SQL string literal (Trino, DuckDB); dialects with backslash escapes in strings override it. */
const BACKSLASH_LITERAL = "'\\'";

/**
 * Compiles a logical query to one SQL statement. Values only ever become parameters (appended
 * in order, written as the dialect's placeholder); identifiers only come from the query, which
 * the planner built from the catalog.
 */
export function compileQuery(query: LogicalQuery, dialect: Dialect): CompiledQuery {
  const builder = new SqlBuilder(dialect);
  const sql = query.kind === 'rows' ? builder.rowQuery(query) : builder.aggregateQuery(query);
  return Object.freeze({ sql, params: Object.freeze([...builder.params]) });
}

function isInteger(type: ValueType | null): boolean {
  return type?.kind === 'int' || type?.kind === 'bigint';
}

class SqlBuilder {
  private readonly exprHandlers: { [K in ExprKind]: (expr: ExprOf<K>) => string };

  /** `params` is shared with nested builders so placeholders stay in text order. */
  constructor(
    private readonly dialect: Dialect,
    readonly params: BoundParam[] = [],
    private readonly alias: string = SOURCE_ALIAS,
  ) {
    this.exprHandlers = {
      and: (expr) => `(${expr.args.map((arg) => this.expr(arg)).join(' AND ')})`,
      or: (expr) => `(${expr.args.map((arg) => this.expr(arg)).join(' OR ')})`,
      not: (expr) => `(NOT ${this.expr(expr.arg)})`,
      compare: (expr) => `${this.column(expr.column)} ${COMPARE_SQL[expr.op]} ${this.value(expr.value)}`,
      in: (expr) => this.inList(expr),
      between: (expr) => `${this.column(expr.column)} BETWEEN ${this.value(expr.low)} AND ${this.value(expr.high)}`,
      like: (expr) => `${this.column(expr.column)} ${expr.negated ? 'NOT LIKE' : 'LIKE'} ${this.value(expr.pattern)} ESCAPE ${dialect.likeEscape ?? BACKSLASH_LITERAL}`,
      isNull: (expr) => `${this.column(expr.column)} IS ${expr.negated ? 'NOT NULL' : 'NULL'}`,
      constant: (expr) => (expr.value ? '(1 = 1)' : '(1 = 0)'),
    };
  }

  rowQuery(query: RowQuery): string {
    const select = query.select.map((item) => `${this.column(item.column)} AS ${this.quote(item.alias)}`);
    const from = this.source(query.from);
    const where = query.where ? ` WHERE ${this.expr(query.where)}` : '';
    const order = this.orderBy(query.orderBy.map((term) => ({ ...term, target: this.column(term.target) })));
    if (!query.perKeyLimit) {
      return `SELECT ${select.join(', ')} FROM ${from}${where}${order}${this.page(query.limit, query.offset)}`;
    }
    // One-to-many relations: at most N children per parent key, in one statement for all parents.
    const partition = this.column(query.perKeyLimit.partitionBy);
    const window = `row_number() OVER (PARTITION BY ${partition}${order}) AS ${this.quote(ROW_NUMBER_ALIAS)}`;
    const inner = `SELECT ${[...select, window].join(', ')} FROM ${from}${where}`;
    const outerColumns = query.select.map((item) => this.quote(item.alias)).join(', ');
    const keepRows = `${this.quote(ROW_NUMBER_ALIAS)} <= ${this.value({ value: query.perKeyLimit.limit, type: { kind: 'bigint' } })}`;
    return `SELECT ${outerColumns} FROM (${inner}) AS ${this.quote('ranked')} WHERE ${keepRows} ORDER BY ${this.quote(ROW_NUMBER_ALIAS)}`;
  }

  aggregateQuery(query: AggregateQuery): string {
    const keys = query.groupBy.map((key) => {
      const column = this.column(key.column);
      return { alias: key.alias, sql: key.grain ? this.dialect.timeTrunc(key.grain, column) : column };
    });
    const period = query.compare ? [{ alias: query.compare.periodAlias, sql: this.column({ kind: 'column', path: [PERIOD_COLUMN] }) }] : [];
    const groups = [...period, ...keys];
    const select = [
      ...groups.map((key) => `${key.sql} AS ${this.quote(key.alias)}`),
      ...query.measures.map((measure) => `${this.measure(measure)} AS ${this.quote(measure.alias)}`),
    ];
    // Compared periods filter inside each branch, on the rows as stored (before the time shift).
    const from = query.compare ? this.periods(query, query.compare) : this.source(query.from);
    const where = query.where && !query.compare ? ` WHERE ${this.expr(query.where)}` : '';
    const groupBy = groups.length > 0 ? ` GROUP BY ${groups.map((key) => key.sql).join(', ')}` : '';
    const order = this.orderBy(query.orderBy.map((term) => ({ ...term, target: this.quote(term.target.alias) })));
    return `SELECT ${select.join(', ')} FROM ${from}${where}${groupBy}${order}${this.page(query.limit, query.offset)}`;
  }

  /**
   * Both periods of a comparison as one FROM item: the rows of each range (and the query's own
   * filter), the previous period's times shifted forward, each branch tagged with its period.
   */
  private periods(query: AggregateQuery, compare: PeriodComparison): string {
    const names = columnsRead({ ...query, compare: null }).filter((name) => name !== compare.time.path[0]);
    const time = compare.time.path[0]!;
    const branch = (tag: number, range: Expr, shift: Interval | null): string => {
      const inner = new SqlBuilder(this.dialect, this.params, BRANCH_ALIAS);
      const timeValue = inner.column(compare.time);
      const columns = [
        `${tag} AS ${this.quote(PERIOD_COLUMN)}`,
        `${shift ? shiftTime(timeValue, shift) : timeValue} AS ${this.quote(time)}`,
        ...names.map((name) => `${inner.column({ kind: 'column', path: [name] })} AS ${this.quote(name)}`),
      ];
      // Parameters are appended in text order: the source's, then the range's, then the filter's.
      const from = this.source(query.from, BRANCH_ALIAS);
      const where = [inner.expr(range), ...(query.where ? [inner.expr(query.where)] : [])].join(' AND ');
      return `SELECT ${columns.join(', ')} FROM ${from} WHERE ${where}`;
    };
    return `(${branch(0, compare.current, null)} UNION ALL ${branch(1, compare.previous, compare.shift)}) AS ${this.quote(SOURCE_ALIAS)}`;
  }

  /**
   * The FROM item, always aliased `t`. A policy view becomes a subquery that filters rows and
   * masks cells first, so every later clause only ever sees what the caller may see.
   */
  private source(source: Source, alias = SOURCE_ALIAS): string {
    if (source.kind === 'table') return `${this.dialect.tableName(source.table)} AS ${this.quote(alias)}`;
    const inner = new SqlBuilder(this.dialect, this.params, VIEW_INNER_ALIAS);
    const masks = new Map(source.masks.map((mask) => [mask.column, mask.visibleWhen]));
    const columns = source.columns.map((name) => {
      const value = inner.column({ kind: 'column', path: [name] });
      const mask = masks.get(name);
      const visible = mask ? inner.expr(mask) : null;
      const cell = visible === null ? value : `CASE WHEN ${this.dialect.selectListPredicate?.(visible) ?? visible} THEN ${value} END`;
      return `${cell} AS ${this.quote(name)}`;
    });
    const where = source.rowFilter ? ` WHERE ${inner.expr(source.rowFilter)}` : '';
    return `(SELECT ${columns.join(', ')} FROM ${this.dialect.tableName(source.table)} AS ${this.quote(VIEW_INNER_ALIAS)}${where}) AS ${this.quote(alias)}`;
  }

  private measure(measure: Measure): string {
    if (measure.fn === 'count' && !measure.column) return measure.filter ? `count(${this.measured('1', measure.filter)})` : 'count(*)';
    if (!measure.column) throw new Error(`aggregate ${measure.fn} needs a column`);
    const column = this.measured(this.column(measure.column), measure.filter ?? null);
    if (measure.fn === 'count') return `count(${column})`;
    if (measure.fn === 'countDistinct') return `count(DISTINCT ${column})`;
    // Engines disagree on the scale of avg(decimal), and PostgreSQL's avg(double) keeps a sum of
    // squares that overflows past 1e154: a double sum over the count gives one answer everywhere
    // (no rows: a null sum, so null).
    if (measure.fn === 'avg') return `(sum(CAST(${column} AS ${this.dialect.doubleType})) / count(${column}))`;
    // Integer sums are exact at any size the engine can hold, never wrapped or refused at 64 bits.
    if (measure.fn === 'sum' && isInteger(measure.columnType)) return `sum(CAST(${column} AS ${this.dialect.exactIntegerSumType}))`;
    return `${measure.fn}(${column})`;
  }

  /** A measured value: the column, or null where the measure's own filter does not hold. */
  private measured(value: string, filter: Expr | null): string {
    if (!filter) return value;
    const predicate = this.expr(filter);
    return `CASE WHEN ${this.dialect.selectListPredicate?.(predicate) ?? predicate} THEN ${value} END`;
  }

  private orderBy(terms: readonly OrderTerm<string>[]): string {
    if (terms.length === 0) return '';
    const parts = terms.map((term) => `${term.target} ${term.direction.toUpperCase()} NULLS ${term.nulls.toUpperCase()}`);
    return ` ORDER BY ${parts.join(', ')}`;
  }

  private page(limit: number | null, offset: number): string {
    const limitSql = limit === null ? '' : ` LIMIT ${this.rowCount(limit)}`;
    const offsetSql = offset > 0 ? ` OFFSET ${this.rowCount(offset)}` : '';
    return limitSql + offsetSql;
  }

  /** A row count the planner validated: a parameter, or inline where the engine takes only a constant. */
  private rowCount(count: number): string {
    if (!this.dialect.inlineRowCounts) return this.value({ value: count, type: { kind: 'bigint' } });
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`row count ${count} is not a non-negative integer`);
    return String(count);
  }

  private inList(expr: ExprOf<'in'>): string {
    // Engines reject `IN ()`. An empty list is false (IN) or true (NOT IN) for a value, and
    // unknown for a null as any comparison is, so `NOT` of it still keeps null rows out.
    if (expr.values.length === 0) return `(CASE WHEN ${this.column(expr.column)} IS NOT NULL THEN ${expr.negated ? 'TRUE' : 'FALSE'} END)`;
    const values = expr.values.map((value) => this.value(value)).join(', ');
    return `${this.column(expr.column)} ${expr.negated ? 'NOT IN' : 'IN'} (${values})`;
  }

  expr(expr: Expr): string {
    const handler = this.exprHandlers[expr.kind] as (node: Expr) => string;
    return handler(expr);
  }

  column(column: ColumnPath): string {
    const [head, ...fields] = column.path;
    if (head === undefined) throw new Error('empty column path');
    const base = `${this.quote(this.alias)}.${this.quote(head)}`;
    return fields.reduce((sql, field) => this.dialect.structField(sql, field), base);
  }

  private value(literal: Literal): string {
    const param: BoundParam = { value: literal.value, type: literal.type };
    this.params.push(param);
    return this.dialect.placeholder(this.params.length - 1, param);
  }

  private quote(name: string): string {
    return this.dialect.quoteIdentifier(name);
  }
}
