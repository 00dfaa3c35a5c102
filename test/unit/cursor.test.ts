import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCursor, encodeCursor, INVALID_CURSOR, type CursorBinding, type CursorState } from '../../src/planner/cursor';
import { resolveCursorKeys } from '../../src/server/cursor-key';

/** Cursors round-trip their state exactly, and every way of being wrong reads the same; where the signing key comes from. */

const keys = { key: Buffer.alloc(32, 7), ttlMs: 60_000 };
const binding: CursorBinding = { subject: 'alice', entitlement: 'fp-1', query: 'q-1' };
const state: CursorState = { kind: 'seek', key: ['12345678901234567890', '-0.10', '2024-03-01', '2024-03-01T10:00:00.123456Z', null, 1.5, true] };
const config = { cursorTtl: 60_000, cursorSecretEnv: 'CURSOR_SECRET' };
const silent = { warn: (): void => undefined };

test('a cursor carries its state exactly (bigint, decimal, date, timestamp, null) and is base64url', () => {
  const cursor = encodeCursor(state, binding, keys, 1_000);
  assert.match(cursor, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeCursor(cursor, binding, keys, 2_000), state);
  assert.ok(!Buffer.from(cursor.split('.')[0]!, 'base64url').toString().includes('alice'), 'the binding travels hashed');
});

test('expired, other binding, other key or altered: one BAD_USER_INPUT message', () => {
  const cursor = encodeCursor(state, binding, keys, 1_000);
  const refusals = [
    () => decodeCursor(cursor, binding, keys, 61_000),
    () => decodeCursor(cursor, { ...binding, subject: 'bob' }, keys, 2_000),
    () => decodeCursor(cursor, { ...binding, entitlement: 'fp-2' }, keys, 2_000),
    () => decodeCursor(cursor, { ...binding, query: 'q-2' }, keys, 2_000),
    () => decodeCursor(cursor, binding, { ...keys, key: Buffer.alloc(32, 8) }, 2_000),
    () => decodeCursor(`${cursor}x`, binding, keys, 2_000),
    () => decodeCursor(cursor.slice(1), binding, keys, 2_000),
    () => decodeCursor(`${cursor}.extra`, binding, keys, 2_000),
  ];
  for (const refusal of refusals) assert.throws(refusal, (error: Error & { extensions?: { code: string } }) => error.message === INVALID_CURSOR && error.extensions?.code === 'BAD_USER_INPUT');
});

test('the signing key: the environment variable (32 bytes at least), else derived from the JWT secret, else random with a warning', () => {
  assert.throws(() => resolveCursorKeys(config, { CURSOR_SECRET: 'short' }, null, silent), /at least 32 bytes/);
  const fromEnv = resolveCursorKeys(config, { CURSOR_SECRET: 'x'.repeat(32) }, 'jwt-secret', silent);
  assert.deepEqual(fromEnv.key, Buffer.from('x'.repeat(32)));
  const derived = resolveCursorKeys(config, {}, 'jwt-secret-jwt-secret-jwt-secret-00', silent);
  assert.deepEqual(derived.key, resolveCursorKeys(config, {}, 'jwt-secret-jwt-secret-jwt-secret-00', silent).key, 'the same on every replica');
  assert.notDeepEqual(derived.key, Buffer.from('jwt-secret-jwt-secret-jwt-secret-00'), 'not the JWT secret itself');
  const warnings: string[] = [];
  const random = resolveCursorKeys(config, {}, null, { warn: (_fields, message) => warnings.push(message) });
  assert.equal(random.key.length, 32);
  assert.equal(warnings.length, 1);
});
