import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { resolveHs256Secret } from '../../src/auth/secret';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-secret-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const config = { hs256SecretEnv: 'MY_SECRET' };
const GOOD = 'a'.repeat(32);

test('the environment variable wins', () => {
  assert.equal(resolveHs256Secret(config, { MY_SECRET: GOOD }, path.join(dir, 'unused')), GOOD);
});

test('a short secret in the environment is a start-up error', () => {
  assert.throws(() => resolveHs256Secret(config, { MY_SECRET: 'short' }, null), /MY_SECRET.*at least 32 bytes/);
  assert.throws(() => resolveHs256Secret(config, { MY_SECRET: '' }, null), /at least 32 bytes/);
});

test('without the variable and a dev file there is no secret', () => {
  assert.equal(resolveHs256Secret(config, {}, null), null);
});

test('local mode creates the dev secret file once (mode 0600) and reads it back', () => {
  const file = path.join(dir, '.lakegate-dev-secret');
  const first = resolveHs256Secret(config, {}, file);
  assert.ok(first && /^[A-Za-z0-9_-]{64}$/.test(first), 'a 48-byte base64url secret');
  if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(resolveHs256Secret(config, {}, file), first);
  assert.equal(readFileSync(file, 'utf8').trim(), first);
});

test('a dev secret file holding too short a secret is refused', () => {
  const file = path.join(dir, 'short-secret');
  writeFileSync(file, 'tiny\n');
  assert.throws(() => resolveHs256Secret(config, {}, file), /short-secret.*at least 32 bytes/);
});
