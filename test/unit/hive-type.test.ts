import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatHiveType, parseHiveType } from '../../src/catalog/hive-type';
import type { HiveType } from '../../src/catalog/types';

function parsed(text: string): HiveType {
  const result = parseHiveType(text);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.type;
}

test('parses primitives, decimal and parameterised strings', () => {
  assert.deepEqual(parsed('bigint'), { kind: 'scalar', value: { kind: 'bigint' }, text: 'bigint' });
  assert.deepEqual(parsed('decimal(12,2)'), { kind: 'scalar', value: { kind: 'decimal', precision: 12, scale: 2 }, text: 'decimal(12,2)' });
  assert.deepEqual(parsed('DECIMAL'), { kind: 'scalar', value: { kind: 'decimal', precision: 10, scale: 0 }, text: 'decimal(10,0)' });
  assert.deepEqual(parsed('varchar(64)'), { kind: 'scalar', value: { kind: 'string' }, text: 'varchar(64)' });
  assert.equal(parsed('timestamp').kind, 'scalar');
});

test('parses nested struct, array and map types', () => {
  const type = parsed('array<struct<name:string,completed:boolean,tags:map<string,array<int>>>>');
  assert.equal(type.kind, 'array');
  const element = (type as Extract<HiveType, { kind: 'array' }>).element;
  assert.equal(element.kind, 'struct');
  const fields = (element as Extract<HiveType, { kind: 'struct' }>).fields;
  assert.deepEqual(fields.map((field) => field.name), ['name', 'completed', 'tags']);
  assert.equal(formatHiveType(type), 'array<struct<name:string,completed:boolean,tags:map<string,array<int>>>>');
});

test('tolerates white space the way Glue stores some types', () => {
  assert.equal(formatHiveType(parsed('struct< os : string , browser:string >')), 'struct<os:string,browser:string>');
});

test('rejects malformed and unknown types with the offset', () => {
  for (const text of ['struct<a:string', 'array<>', 'decimal(40,2)', 'decimal(5,6)', 'geometry', 'map<string>', 'struct<a:int,a:int>', 'int extra']) {
    const result = parseHiveType(text);
    assert.equal(result.ok, false, text);
    assert.match(result.ok ? '' : result.error, /at offset \d+/);
  }
});

const primitive = fc.constantFrom('string', 'boolean', 'int', 'bigint', 'double', 'date', 'timestamp', 'decimal(12,2)', 'float');
const typeText: fc.Arbitrary<string> = fc.letrec<{ type: string }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    tie('type').map((inner) => `array<${inner}>`),
    fc.tuple(primitive, tie('type')).map(([key, value]) => `map<${key},${value}>`),
    fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), tie('type')), { minLength: 1, maxLength: 4, selector: ([name]) => name })
      .map((fields) => `struct<${fields.map(([name, inner]) => `${name}:${inner}`).join(',')}>`),
  ),
})).type;

test('format(parse(text)) round-trips any well-formed type', () => {
  fc.assert(fc.property(typeText, (text) => {
    assert.equal(formatHiveType(parsed(text)), text);
  }), { numRuns: 300 });
});
