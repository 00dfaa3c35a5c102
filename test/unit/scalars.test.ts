import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kind } from 'graphql';
import { BigIntScalar, DateScalar, DateTimeScalar, DecimalScalar, normalizeTimestamp } from '../../src/schema/scalars';

test('BigInt keeps every digit as a string and refuses out-of-range values', () => {
  assert.equal(BigIntScalar.serialize('9007199254740993'), '9007199254740993');
  assert.equal(BigIntScalar.parseValue(42), '42');
  assert.throws(() => BigIntScalar.parseValue('9223372036854775808'), /BigInt cannot represent/);
  assert.throws(() => BigIntScalar.parseValue('1.5'), /BigInt cannot represent/);
  assert.throws(() => BigIntScalar.parseValue(2 ** 60), /BigInt cannot represent/);
});

test('BigInt outputs are exact at any size (a sum of an integer column may leave 64 bits); inputs stay 64-bit', () => {
  assert.equal(BigIntScalar.serialize('-20986510302976102553'), '-20986510302976102553');
  assert.equal(BigIntScalar.serialize(170141183460469231731687303715884105727n), '170141183460469231731687303715884105727');
  assert.throws(() => BigIntScalar.parseValue('-20986510302976102553'), /BigInt cannot represent/);
  assert.throws(() => BigIntScalar.serialize('1.5'), /BigInt cannot represent/);
});

test('Decimal accepts exact decimal text and numbers', () => {
  assert.equal(DecimalScalar.parseValue('12345678901234567890.12'), '12345678901234567890.12');
  assert.equal(DecimalScalar.parseValue(100), '100');
  assert.throws(() => DecimalScalar.parseValue('abc'), /Decimal cannot represent/);
});

test('Decimal accepts exponent notation exactly, as plain text', () => {
  const cases: [unknown, string][] = [
    ['1e5', '100000'], ['1.5e2', '150'], ['1.5E-2', '0.015'], ['2.50e1', '25.0'], ['-12e-1', '-1.2'], ['0e3', '0'],
    ['1.23456789012345678901234567e10', '12345678901.2345678901234567'], [1e21, '1000000000000000000000'], [1.5e-7, '0.00000015'],
  ];
  for (const [input, plain] of cases) assert.equal(DecimalScalar.parseValue(input), plain, String(input));
  assert.equal(DecimalScalar.parseLiteral({ kind: Kind.FLOAT, value: '1e3' }), '1000');
  assert.throws(() => DecimalScalar.parseValue('1e40'), /Decimal cannot represent/);
  assert.throws(() => DecimalScalar.parseValue('1e-40'), /Decimal cannot represent/);
  assert.throws(() => DecimalScalar.parseValue('1e999999999'), /Decimal cannot represent/);
  assert.throws(() => DecimalScalar.parseValue('1e'), /Decimal cannot represent/);
});

test('DateTime inputs: a date alone is midnight UTC, seconds may be left out, more than six fractional digits are refused', () => {
  assert.equal(DateTimeScalar.parseValue('2024-03-01'), '2024-03-01T00:00:00Z');
  assert.equal(DateTimeScalar.parseValue('2024-03-01T10:30Z'), '2024-03-01T10:30:00Z');
  assert.equal(DateTimeScalar.parseValue('2024-03-01T10:30:00.123456Z'), '2024-03-01T10:30:00.123456Z');
  assert.throws(() => DateTimeScalar.parseValue('2024-03-01T10:30:00.1234567Z'), (error: Error & { extensions?: { code?: string } }) => {
    assert.match(error.message, /at most 6 fractional digits/);
    assert.equal(error.extensions?.code, 'BAD_USER_INPUT');
    return true;
  });
  assert.throws(() => DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2024-03-01T10:30:00.000000001Z' }), /at most 6/);
});

test('timestamps normalise to ISO-8601 UTC, keeping microseconds', () => {
  assert.equal(normalizeTimestamp('2024-01-02 03:04:05'), '2024-01-02T03:04:05Z');
  assert.equal(normalizeTimestamp('2024-01-02 03:04:05.123456'), '2024-01-02T03:04:05.123456Z');
  assert.equal(normalizeTimestamp('2024-01-02T03:04:05.1+02:00'), '2024-01-02T01:04:05.100Z');
  assert.equal(normalizeTimestamp('2024-01-02'), '2024-01-02T00:00:00Z');
  assert.throws(() => normalizeTimestamp('2024-02-30T00:00:00Z'), /DateTime cannot represent/);
  assert.throws(() => normalizeTimestamp('yesterday'), /DateTime cannot represent/);
});

test('Date accepts real calendar dates only', () => {
  assert.equal(DateScalar.parseValue('2024-02-29'), '2024-02-29');
  assert.throws(() => DateScalar.parseValue('2023-02-29'), /Date cannot represent/);
});
