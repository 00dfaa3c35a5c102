import assert from 'node:assert/strict';
import { test } from 'node:test';
import jwt from 'jsonwebtoken';
import { signDevToken } from '../../src/auth/dev-token';
import { createTokenVerifier } from '../../src/auth/verifier';
import type { AuthConfig } from '../../src/config/schema';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';
const config: AuthConfig = {
  issuer: 'lakegate-local',
  audience: 'lakegate',
  algorithms: ['HS256'],
  hs256SecretEnv: 'LAKEGATE_JWT_SECRET',
  clockToleranceSeconds: 30,
  principals: [
    { claim: 'role', equals: 'hr', principals: ['arn:aws:iam::111122223333:role/HR'] },
    { claim: 'groups', principals: ['arn:aws:identitystore:::group/{value}'] },
  ],
  devRoles: { analyst: { role: 'analyst' }, hr: { role: 'hr', org: 'engineering', groups: ['people'] } },
};

test('a dev token round-trips through the verifier', async () => {
  const result = await createTokenVerifier(config, { hs256Secret: SECRET }).verify(`Bearer ${signDevToken(config, SECRET, 'hr')}`);
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.principal.subject, 'dev-hr');
  assert.deepEqual(result.principal.principals, ['arn:aws:iam::111122223333:role/HR', 'arn:aws:identitystore:::group/people']);
  assert.equal(result.principal.claims['org'], 'engineering');
  assert.equal(result.principal.claims['iss'], 'lakegate-local');
  assert.equal(result.principal.claims['aud'], 'lakegate');
});

test('a dev token lives ttlSeconds (8 hours by default)', () => {
  const header = jwt.decode(signDevToken(config, SECRET, 'analyst'), { complete: true });
  assert.equal(header?.header.alg, 'HS256');
  const payload = header?.payload as jwt.JwtPayload;
  assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 8 * 3600);
  const short = jwt.decode(signDevToken(config, SECRET, 'analyst', 60)) as jwt.JwtPayload;
  assert.equal((short.exp ?? 0) - (short.iat ?? 0), 60);
});

test('an unknown role throws, listing the known roles', () => {
  assert.throws(() => signDevToken(config, SECRET, 'admin'), /unknown dev role "admin"; known roles: analyst, hr/);
  assert.throws(() => signDevToken(config, SECRET, 'toString'), /known roles: analyst, hr/);
  assert.throws(() => signDevToken({ ...config, devRoles: {} }, SECRET, 'x'), /none: add some under auth\.devRoles/);
});

test('dev tokens need HS256 in the allow-list', () => {
  assert.throws(() => signDevToken({ ...config, algorithms: ['RS256'] }, SECRET, 'analyst'), /HS256/);
});
