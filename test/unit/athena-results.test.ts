import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo } from '@aws-sdk/client-athena';
import { columnNames, isHeaderRow, parseComplex, rowParser, valueParser } from '../../src/datasources/athena/results';

const col = (Name: string, Type: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({ Name, Label: Name, Type, ...extra });
const datum = (value: string | null) => (value === null ? {} : { VarCharValue: value });

test('values are typed from ColumnInfo.Type', () => {
  const parse = (type: string, text: string) => valueParser(type)(text);
  assert.equal(parse('varchar', 'héllo, world'), 'héllo, world');
  assert.equal(parse('char', 'JP'), 'JP');
  assert.equal(parse('boolean', 'true'), true);
  assert.equal(parse('boolean', 'false'), false);
  assert.equal(parse('tinyint', '-7'), -7);
  assert.equal(parse('smallint', '300'), 300);
  assert.equal(parse('integer', '2147483647'), 2147483647);
  assert.equal(parse('bigint', '9223372036854775807'), '9223372036854775807', 'bigint stays a decimal string');
  assert.equal(parse('decimal', '12.30'), '12.30', 'decimal keeps its scale');
  assert.equal(parse('decimal(12,2)', '0.05'), '0.05');
  assert.equal(parse('double', '1.0E10'), 1e10);
  assert.equal(parse('double', '100.0'), 100);
  assert.equal(parse('real', '1.5'), 1.5);
  assert.equal(parse('float', '-0.25'), -0.25);
  assert.ok(Number.isNaN(parse('double', 'NaN') as number));
  assert.equal(parse('double', 'Infinity'), Infinity);
  assert.equal(parse('date', '2024-02-29'), '2024-02-29');
  assert.equal(parse('timestamp', '2024-01-01 10:00:00.000'), '2024-01-01 10:00:00.000');
  assert.equal(parse('timestamp(3)', '2024-01-01 10:00:00.123'), '2024-01-01 10:00:00.123');
  assert.equal(parse('timestamp with time zone', '2024-01-01 10:00:00.000 UTC'), '2024-01-01 10:00:00.000 UTC');
  assert.deepEqual(parse('json', '{"a":[1,"x",null]}'), { a: [1, 'x', null] });
  assert.equal(parse('json', 'not json'), 'not json');
  assert.equal(parse('VARCHAR', 'upper-case type names too'), 'upper-case type names too');
});

test('a missing VarCharValue is null whatever the type; the header row is recognised', () => {
  const columns = [col('id', 'bigint'), col('ok', 'boolean'), col('name', 'varchar'), col('device', 'row')];
  const parse = rowParser(columns);
  assert.deepEqual(parse({ Data: [datum('1'), datum(null), datum(null), datum(null)] }), { id: '1', ok: null, name: null, device: null });
  assert.deepEqual(parse({ Data: [datum('2'), datum('true'), datum(''), datum('{os=ios, browser=null}')] }), { id: '2', ok: true, name: '', device: { os: 'ios', browser: null } });
  assert.deepEqual(parse({ Data: [datum('3')] }), { id: '3', ok: null, name: null, device: null }, 'a short row reads null for the rest');
  assert.equal(isHeaderRow({ Data: ['id', 'ok', 'name', 'device'].map(datum) }, columns), true);
  assert.equal(isHeaderRow({ Data: ['1', 'true', 'x', '{}'].map(datum) }, columns), false);
});

test('repeated column names keep every value', () => {
  assert.deepEqual(columnNames([col('a', 'integer'), col('a', 'integer'), col('b', 'integer'), col('a', 'integer')]), ['a', 'a_2', 'b', 'a_3']);
});

test('Athena\'s text form of arrays, rows and maps is parsed when unambiguous', () => {
  assert.deepEqual(parseComplex('[]'), []);
  assert.deepEqual(parseComplex('{}'), {});
  assert.deepEqual(parseComplex('[1, 2, 3]'), [1, 2, 3]);
  assert.deepEqual(parseComplex('[a, null, true]'), ['a', null, true]);
  assert.deepEqual(parseComplex('{os=ios, browser=safari}'), { os: 'ios', browser: 'safari' });
  assert.deepEqual(parseComplex('[{sku=SKU-1, qty=2}, {sku=SKU-2, qty=1}]'), [{ sku: 'SKU-1', qty: 2 }, { sku: 'SKU-2', qty: 1 }]);
  assert.deepEqual(parseComplex('{a=[1, 2], b={c=d}}'), { a: [1, 2], b: { c: 'd' } });
  assert.deepEqual(parseComplex('{k1=1.5, k2=-3}'), { k1: 1.5, k2: -3 });
  // Leaves carry no type: only text that round-trips exactly becomes a number.
  assert.deepEqual(parseComplex('[007, 1.0, 12.30, 1e5, 9007199254740993]'), ['007', '1.0', '12.30', '1e5', '9007199254740993']);
  assert.deepEqual(parseComplex('[hello world, ]'), ['hello world', '']);
});

test('ambiguous complex text is kept as the string Athena sent', () => {
  for (const text of [
    '{name=Smith, John, age=3}', // a comma inside a field value
    '{expr=a=b}', // an equals sign inside a value
    '[a,b]', // a comma without the separator's space
    '{a=1, a=2}', // a repeated key
    '[1, 2', // truncated
    '{=1}', // an empty key
    'plain text',
  ]) {
    const value = parseComplex(text);
    if (text === 'plain text') assert.equal(value, 'plain text');
    else assert.equal(value, text, text);
  }
  // The format's own limit: a string element holding ", " reads as two elements (documented).
  assert.deepEqual(parseComplex('[a, b]'), ['a', 'b']);
});
