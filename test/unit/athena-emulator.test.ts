import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parameterSql, substituteParameters } from '../emulators/athena-parameters';

test('the emulator substitutes parameters only at placeholders outside strings, identifiers and comments', () => {
  assert.equal(
    substituteParameters(`SELECT '?', "a?b", ? -- what?\n, /* ? */ ? FROM t WHERE x = ?`, ["'one'", '2', "DATE '2024-01-01'"]),
    `SELECT '?', "a?b", 'one' -- what?\n, /* ? */ 2 FROM t WHERE x = CAST('2024-01-01' AS DATE)`,
  );
  assert.equal(substituteParameters(`SELECT 'it''s ?' , ?`, ['true']), `SELECT 'it''s ?' , true`);
  assert.throws(() => substituteParameters('SELECT ?, ?', ["'x'"]), /Incorrect number of parameters: expected 2 but found 1/);
  assert.throws(() => substituteParameters('SELECT 1', ["'x'"]), /expected 0 but found 1/);
});

test('the emulator takes only literals as parameters (so an unsafe renderer is caught)', () => {
  assert.equal(parameterSql("'a''b'"), "'a''b'");
  assert.equal(parameterSql('-12.5e3'), '-12.5e3');
  assert.equal(parameterSql('FALSE'), 'FALSE');
  assert.equal(parameterSql("DECIMAL '12.34'"), "CAST('12.34' AS DECIMAL(4,2))");
  assert.equal(parameterSql("DECIMAL '-0.05'"), "CAST('-0.05' AS DECIMAL(2,2))");
  assert.equal(parameterSql("DECIMAL '100'"), "CAST('100' AS DECIMAL(3,0))");
  assert.equal(parameterSql("timestamp '2024-01-01 10:00:00.000'"), "CAST('2024-01-01 10:00:00.000' AS TIMESTAMP)");
  assert.equal(parameterSql("BIGINT '9223372036854775807'"), "CAST('9223372036854775807' AS BIGINT)");
  for (const text of ["'a' OR 1=1", '1; DROP TABLE t', '(SELECT 1)', "'a'||'b'", "DECIMAL 'x'", "FOO 'x'", '']) {
    assert.throws(() => parameterSql(text), /INVALID_/, text);
  }
});
