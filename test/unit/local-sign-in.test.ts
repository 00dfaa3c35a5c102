import assert from 'node:assert/strict';
import { test } from 'node:test';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { PAGE_TOKEN_TTL_SECONDS, resolveLocalSignIn } from '../../src/auth/local-sign-in';
import type { AuthConfig } from '../../src/config/schema';

const SECRET = 'dev-secret-dev-secret-dev-secret-0123456789';
const config: AuthConfig = {
  issuer: 'lakegate-local',
  audience: 'lakegate',
  algorithms: ['HS256'],
  hs256SecretEnv: 'LAKEGATE_JWT_SECRET',
  clockToleranceSeconds: 30,
  principals: [],
  devRoles: { analyst: { role: 'analyst' }, hr: { role: 'hr', org: 'engineering' } },
};

test('local mode: dev roles, HS256 with the dev secret file (the variable unset), no JWKS', () => {
  const signIn = resolveLocalSignIn(config, {}, SECRET);
  assert.ok(signIn);
  assert.deepEqual(signIn.roles, ['analyst', 'hr']);
});

test('any other configuration is not local mode', () => {
  const cases: [string, AuthConfig, Record<string, string>, string | null][] = [
    ['a real secret in the environment', config, { LAKEGATE_JWT_SECRET: SECRET }, SECRET],
    ['a JWKS endpoint', { ...config, jwksUri: 'https://idp.example/.well-known/jwks.json' }, {}, SECRET],
    ['no dev roles', { ...config, devRoles: {} }, {}, SECRET],
    ['HS256 not allowed', { ...config, algorithms: ['RS256'] }, {}, SECRET],
    ['no HS256 secret at all', config, {}, null],
    ['a secret under a renamed variable', { ...config, hs256SecretEnv: 'MY_SECRET' }, { MY_SECRET: SECRET }, SECRET],
  ];
  for (const [name, auth, env, secret] of cases) assert.equal(resolveLocalSignIn(auth, env, secret), null, name);
});

test('a page token is for the asked role only, signed with the dev secret, and lives fifteen minutes', () => {
  const signIn = resolveLocalSignIn(config, {}, SECRET)!;
  const before = Math.floor(Date.now() / 1000);
  const minted = signIn.mint('hr');
  assert.ok(minted);
  const claims = jwt.verify(minted.token, SECRET, { algorithms: ['HS256'], issuer: 'lakegate-local', audience: 'lakegate' }) as JwtPayload;
  const { iat, exp, ...rest } = claims;
  assert.deepEqual(rest, { role: 'hr', org: 'engineering', sub: 'dev-hr', iss: 'lakegate-local', aud: 'lakegate' });
  assert.equal(exp! - iat!, PAGE_TOKEN_TTL_SECONDS);
  assert.ok(PAGE_TOKEN_TTL_SECONDS <= 15 * 60);
  assert.ok(iat! >= before);
  assert.equal(minted.expiresAt, exp);
  assert.equal(minted.expiresIn, PAGE_TOKEN_TTL_SECONDS);
  assert.equal(minted.role, 'hr');
});

test('a role outside auth.devRoles gets no token, whatever its name', () => {
  const signIn = resolveLocalSignIn(config, {}, SECRET)!;
  for (const role of ['engineer', '', '__proto__', 'constructor', 'toString']) assert.equal(signIn.mint(role), null, role);
});
