import type { ValueType } from '../query/types';
import type { HiveField, HiveType } from './types';

/**
 * Parses Hive type strings as Glue stores them: primitives, `decimal(p,s)`, `varchar(n)`,
 * `char(n)`, and nested `struct<a:t,...>`, `array<t>`, `map<k,v>`. Returns an error message
 * (with the offset) instead of throwing, so the catalog loader can report it with its place.
 */
export type HiveTypeResult = { readonly ok: true; readonly type: HiveType } | { readonly ok: false; readonly error: string };

const SIMPLE: Readonly<Record<string, ValueType>> = {
  string: { kind: 'string' },
  varchar: { kind: 'string' },
  char: { kind: 'string' },
  boolean: { kind: 'boolean' },
  tinyint: { kind: 'int' },
  smallint: { kind: 'int' },
  int: { kind: 'int' },
  integer: { kind: 'int' },
  bigint: { kind: 'bigint' },
  float: { kind: 'float' },
  double: { kind: 'double' },
  date: { kind: 'date' },
  timestamp: { kind: 'timestamp' },
};

class HiveTypeError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): HiveType {
    const type = this.parseType();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail(`unexpected "${this.text.slice(this.pos)}"`);
    return type;
  }

  private parseType(): HiveType {
    const start = this.pos;
    const word = this.identifier().toLowerCase();
    switch (word) {
      case 'struct':
        return this.parseStruct();
      case 'array': {
        this.expect('<');
        const element = this.parseType();
        this.expect('>');
        return { kind: 'array', element };
      }
      case 'map': {
        this.expect('<');
        const key = this.parseType();
        this.expect(',');
        const value = this.parseType();
        this.expect('>');
        return { kind: 'map', key, value };
      }
      case 'decimal':
      case 'numeric':
        return this.parseDecimal(start);
      default:
        return this.parseSimple(word, start);
    }
  }

  private parseSimple(word: string, start: number): HiveType {
    const value = SIMPLE[word];
    if (!value) this.fail(`unknown type "${word}"`, start);
    if ((word === 'varchar' || word === 'char') && this.peek() === '(') {
      this.expect('(');
      this.integer();
      this.expect(')');
    }
    return { kind: 'scalar', value, text: this.text.slice(start, this.pos).trim().toLowerCase() };
  }

  private parseDecimal(start: number): HiveType {
    let precision = 10;
    let scale = 0;
    if (this.peek() === '(') {
      this.expect('(');
      precision = this.integer();
      if (this.peek() === ',') {
        this.expect(',');
        scale = this.integer();
      }
      this.expect(')');
    }
    if (precision < 1 || precision > 38 || scale > precision) {
      this.fail(`decimal(${precision},${scale}) is out of range (precision 1..38, scale <= precision)`, start);
    }
    return { kind: 'scalar', value: { kind: 'decimal', precision, scale }, text: `decimal(${precision},${scale})` };
  }

  private parseStruct(): HiveType {
    this.expect('<');
    const fields: HiveField[] = [];
    const seen = new Set<string>();
    do {
      const nameStart = this.pos;
      const name = this.identifier();
      if (seen.has(name.toLowerCase())) this.fail(`duplicate struct field "${name}"`, nameStart);
      seen.add(name.toLowerCase());
      this.expect(':');
      fields.push({ name, type: this.parseType() });
    } while (this.accept(','));
    this.expect('>');
    return { kind: 'struct', fields };
  }

  private identifier(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected a name');
    this.pos += match[0].length;
    return match[0];
  }

  private integer(): number {
    this.skipSpace();
    const match = /^\d+/.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected a number');
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private expect(char: string): void {
    if (!this.accept(char)) this.fail(`expected "${char}"`);
  }

  private accept(char: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== char) return false;
    this.pos += 1;
    return true;
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos += 1;
  }

  private fail(message: string, at = this.pos): never {
    throw new HiveTypeError(`${message} at offset ${at} of "${this.text}"`);
  }
}

export function parseHiveType(text: string): HiveTypeResult {
  try {
    return { ok: true, type: new Parser(text).parse() };
  } catch (error) {
    if (error instanceof HiveTypeError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Renders a parsed type back to canonical Hive text (lower case, no spaces). */
export function formatHiveType(type: HiveType): string {
  switch (type.kind) {
    case 'scalar':
      return type.text;
    case 'struct':
      return `struct<${type.fields.map((field) => `${field.name}:${formatHiveType(field.type)}`).join(',')}>`;
    case 'array':
      return `array<${formatHiveType(type.element)}>`;
    case 'map':
      return `map<${formatHiveType(type.key)},${formatHiveType(type.value)}>`;
  }
}
