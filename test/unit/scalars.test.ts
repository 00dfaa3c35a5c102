import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BigIntScalar, DateScalar, DecimalScalar, normalizeTimestamp } from '../../src/schema/scalars';

test('BigInt keeps every digit as a string and refuses out-of-range values', () => {
  assert.equal(BigIntScalar.serialize('9007199254740993'), '9007199254740993');
  assert.equal(BigIntScalar.parseValue(42), '42');
  assert.throws(() => BigIntScalar.parseValue('9223372036854775808'), /BigInt cannot represent/);
  assert.throws(() => BigIntScalar.parseValue('1.5'), /BigInt cannot represent/);
  assert.throws(() => BigIntScalar.parseValue(2 ** 60), /BigInt cannot represent/);
});

test('Decimal accepts exact decimal text and numbers', () => {
  assert.equal(DecimalScalar.parseValue('12345678901234567890.12'), '12345678901234567890.12');
  assert.equal(DecimalScalar.parseValue(100), '100');
  assert.throws(() => DecimalScalar.parseValue('1e5'), /Decimal cannot represent/);
  assert.throws(() => DecimalScalar.parseValue('abc'), /Decimal cannot represent/);
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
