import type { ColumnInfo, Row as AthenaRow } from '@aws-sdk/client-athena';
import type { Row, RowValue } from '../types';
import { uniqueNames } from '../shared/row-names';

/**
 * Turns GetQueryResults rows (every value a `VarCharValue` string, or absent for null) into
 * typed rows, driven by `ResultSetMetadata.ColumnInfo[].Type`:
 *
 * | Athena type                                  | row value                                   |
 * |----------------------------------------------|---------------------------------------------|
 * | varchar, char, varbinary, time, uuid, ...    | string, as given                            |
 * | boolean                                      | boolean                                     |
 * | tinyint, smallint, integer                   | number                                      |
 * | bigint                                       | decimal string (may exceed 2^53)            |
 * | decimal                                      | string, as given (`12.30`)                  |
 * | double, float, real                          | number                                      |
 * | date                                         | `YYYY-MM-DD`, as given                      |
 * | timestamp [with time zone]                   | `YYYY-MM-DD HH:MM:SS.fff[ zone]`, as given  |
 * | json                                         | parsed JSON (the string when it is not JSON)|
 * | array, map, row                              | parsed text form, see below                 |
 *
 * A missing `VarCharValue` is null, whatever the type.
 *
 * Complex values. Athena reports only `array`, `map` or `row` as the type (no element types) and
 * renders values as `[a, b]`, `{key=value, ...}`, `{field=value, ...}`. That text is parsed when it
 * is unambiguous: leaves may not contain `[ ] { } = ,`; otherwise the whole value is kept as the
 * string Athena sent. Leaves carry no type, so they are read back loss-free: `null` → null,
 * `true`/`false` → boolean, a number whose text round-trips exactly (`12`, `-3.5`, not `007` or
 * `1.0`) → number, anything else → string. Two limits follow from the format itself: an array
 * element that is the string `a, b` reads as two elements, and the string `null` reads as null.
 * Where that matters, select the column as `CAST(col AS JSON)` (type `json`, parsed exactly).
 */

type Parser = (text: string) => RowValue;

/** One parser per column, chosen once per result set. */
export function rowParser(columns: readonly ColumnInfo[]): (row: AthenaRow) => Row {
  const parsers = columns.map((column) => valueParser(column.Type ?? 'varchar'));
  const names = columnNames(columns);
  return (row) => {
    const data = row.Data ?? [];
    const out: Record<string, RowValue> = {};
    names.forEach((name, index) => {
      const text = data[index]?.VarCharValue;
      out[name] = text === undefined || text === null ? null : parsers[index]!(text);
    });
    return out;
  };
}

/** Row keys: the column labels; a repeated name gets `_2`, `_3`, ... so no value is lost. */
export function columnNames(columns: readonly ColumnInfo[]): string[] {
  return uniqueNames(columns.map((column, index) => column.Label ?? column.Name ?? `_col${index}`));
}

/** True when the row is the header Athena puts first on the first page: the column labels. */
export function isHeaderRow(row: AthenaRow, columns: readonly ColumnInfo[]): boolean {
  const data = row.Data ?? [];
  return data.length === columns.length && columns.every((column, index) => data[index]?.VarCharValue === (column.Label ?? column.Name));
}

export function valueParser(type: string): Parser {
  const base = type.trim().toLowerCase().replace(/\s*\(.*$/s, '');
  switch (base) {
    case 'boolean':
      return (text) => (text === 'true' ? true : text === 'false' ? false : text);
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
      return (text) => toNumber(text);
    case 'double':
    case 'float':
    case 'real':
      return (text) => toNumber(text);
    case 'bigint':
    case 'decimal':
      return (text) => text;
    case 'json':
      return parseJson;
    case 'array':
    case 'map':
    case 'row':
      return parseComplex;
    default:
      // varchar, char, date, timestamp, timestamp with time zone, time, varbinary, uuid, ipaddress, ...
      return (text) => text;
  }
}

function toNumber(text: string): RowValue {
  const value = Number(text);
  // Keep what is not a number at all as the string Athena sent rather than inventing NaN.
  return Number.isNaN(value) && text !== 'NaN' ? text : value;
}

function parseJson(text: string): RowValue {
  try {
    return JSON.parse(text) as RowValue;
  } catch {
    return text;
  }
}

/** Parses Athena's text form of an array/map/row, or returns the text unchanged when ambiguous. */
export function parseComplex(text: string): RowValue {
  const parser = new ComplexTextParser(text);
  const value = parser.parse();
  return value === FAIL ? text : value;
}

const FAIL = Symbol('fail');
const STRUCTURAL = /[[\]{}=,]/;

class ComplexTextParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): RowValue | typeof FAIL {
    const value = this.value(0);
    return value !== FAIL && this.pos === this.text.length ? value : FAIL;
  }

  private value(depth: number): RowValue | typeof FAIL {
    if (depth > 64) return FAIL;
    const char = this.text[this.pos];
    if (char === '[') return this.list(depth);
    if (char === '{') return this.entries(depth);
    return this.leaf();
  }

  private list(depth: number): RowValue[] | typeof FAIL {
    this.pos += 1;
    const items: RowValue[] = [];
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return items;
    }
    for (;;) {
      const item = this.value(depth + 1);
      if (item === FAIL) return FAIL;
      items.push(item);
      if (this.text.startsWith(', ', this.pos)) this.pos += 2;
      else if (this.text[this.pos] === ']') {
        this.pos += 1;
        return items;
      } else return FAIL;
    }
  }

  private entries(depth: number): Record<string, RowValue> | typeof FAIL {
    this.pos += 1;
    const out: Record<string, RowValue> = {};
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return out;
    }
    for (;;) {
      const equals = this.text.indexOf('=', this.pos);
      if (equals < 0) return FAIL;
      const key = this.text.slice(this.pos, equals);
      if (key === '' || STRUCTURAL.test(key) || Object.prototype.hasOwnProperty.call(out, key)) return FAIL;
      this.pos = equals + 1;
      const value = this.value(depth + 1);
      if (value === FAIL) return FAIL;
      out[key] = value;
      if (this.text.startsWith(', ', this.pos)) this.pos += 2;
      else if (this.text[this.pos] === '}') {
        this.pos += 1;
        return out;
      } else return FAIL;
    }
  }

  private leaf(): RowValue | typeof FAIL {
    const start = this.pos;
    while (this.pos < this.text.length && !'[]{}=,'.includes(this.text[this.pos]!)) this.pos += 1;
    const raw = this.text.slice(start, this.pos);
    if (this.pos < this.text.length && !(this.text[this.pos] === ',' || this.text[this.pos] === ']' || this.text[this.pos] === '}')) return FAIL;
    return leafValue(raw);
  }
}

function leafValue(raw: string): RowValue {
  if (raw === 'null') return null;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d/.test(raw)) {
    const number = Number(raw);
    if (Number.isFinite(number) && String(number) === raw) return number;
  }
  return raw;
}
