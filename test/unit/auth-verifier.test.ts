import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import { createTokenVerifier } from '../../src/auth/verifier';
import type { AuthResult } from '../../src/auth/types';
import type { AuthConfig } from '../../src/config/schema';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';
const ISSUER = 'https://idp.test/';
const AUDIENCE = 'lakegate';
const ANALYST = 'arn:aws:iam::111122223333:role/Analyst';

function authConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['HS256'],
    hs256SecretEnv: 'LAKEGATE_JWT_SECRET',
    clockToleranceSeconds: 30,
    principals: [
      { claim: 'role', equals: 'analyst', principals: [ANALYST] },
      { claim: 'groups', principals: ['arn:aws:identitystore:::group/{value}'] },
    ],
    devRoles: {},
    ...overrides,
  };
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Standard claims of a valid token; a key set to undefined is left out. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = { sub: 'user-1', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, role: 'analyst', groups: ['g-1'], ...overrides };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

function hs256(payload: Record<string, unknown> = claims(), secret = SECRET): string {
  return jwt.sign(payload, secret, { algorithm: 'HS256', noTimestamp: true });
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function rejected(result: AuthResult, reason: string | RegExp): void {
  assert.equal(result.ok, false, `expected a rejection, got ${JSON.stringify(result)}`);
  if (result.ok) return;
  if (typeof reason === 'string') assert.equal(result.reason, reason);
  else assert.match(result.reason, reason);
}

function accepted(result: AuthResult): Extract<AuthResult, { ok: true }>['principal'] {
  assert.ok(result.ok, `expected acceptance, got ${JSON.stringify(result)}`);
  return result.principal;
}

describe('HS256', () => {
  const verifier = createTokenVerifier(authConfig(), { hs256Secret: SECRET });

  test('a valid token yields the subject, mapped principals and frozen claims', async () => {
    const principal = accepted(await verifier.verify(`Bearer ${hs256()}`));
    assert.equal(principal.subject, 'user-1');
    assert.deepEqual(principal.principals, [ANALYST, 'arn:aws:identitystore:::group/g-1']);
    assert.equal(principal.claims['role'], 'analyst');
    assert.ok(Object.isFrozen(principal.claims) && Object.isFrozen(principal.claims['groups']) && Object.isFrozen(principal.principals));
  });

  test('the Bearer scheme is case-insensitive', async () => {
    accepted(await verifier.verify(`bearer ${hs256()}`));
    accepted(await verifier.verify(`BEARER   ${hs256()} `));
  });

  test('a missing header or token is rejected', async () => {
    rejected(await verifier.verify(undefined), 'missing bearer token');
    rejected(await verifier.verify(''), 'missing bearer token');
    rejected(await verifier.verify('Bearer'), 'missing bearer token');
    rejected(await verifier.verify('Bearer   '), 'missing bearer token');
  });

  test('another scheme is rejected', async () => {
    rejected(await verifier.verify(`Basic ${Buffer.from('a:b').toString('base64')}`), /unsupported authorization scheme/);
    rejected(await verifier.verify(`Token ${hs256()}`), /unsupported authorization scheme/);
    rejected(await verifier.verify(hs256()), /unsupported authorization scheme/);
  });

  test('a malformed token is rejected', async () => {
    rejected(await verifier.verify('Bearer not-a-jwt'), 'malformed token');
    rejected(await verifier.verify('Bearer a.b.c'), 'malformed token');
    rejected(await verifier.verify('Bearer a b c'), 'malformed token');
    rejected(await verifier.verify(`Bearer ${b64url({ typ: 'JWT' })}.${b64url(claims())}.sig`), 'malformed token');
    rejected(await verifier.verify(`Bearer ${b64url({ alg: 'HS256', kid: 7 })}.${b64url(claims())}.sig`), 'malformed token');
    const [header, , signature] = hs256().split('.');
    rejected(await verifier.verify(`Bearer ${header}.${Buffer.from('not json').toString('base64url')}.${signature}`), /malformed token|invalid signature/);
  });

  test('a bad signature is rejected', async () => {
    rejected(await verifier.verify(`Bearer ${hs256(claims(), 'another-secret-another-secret-another-secret')}`), 'invalid signature');
    const [header, , signature] = hs256().split('.');
    rejected(await verifier.verify(`Bearer ${header}.${b64url(claims({ role: 'admin' }))}.${signature}`), 'invalid signature');
  });

  test('alg "none" is rejected, whatever its case', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      rejected(await verifier.verify(`Bearer ${b64url({ alg, typ: 'JWT' })}.${b64url(claims())}.`), 'unsigned tokens are not accepted');
    }
  });

  test('an algorithm outside the allow-list is rejected', async () => {
    const hs384 = jwt.sign(claims(), SECRET, { algorithm: 'HS384', noTimestamp: true });
    rejected(await verifier.verify(`Bearer ${hs384}`), 'token algorithm not allowed');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = jwt.sign(claims(), privateKey, { algorithm: 'RS256', noTimestamp: true });
    rejected(await verifier.verify(`Bearer ${rs256}`), 'token algorithm not allowed');
  });

  test('an expired token is rejected', async () => {
    rejected(await verifier.verify(`Bearer ${hs256(claims({ exp: now() - 3600 }))}`), 'token expired');
  });

  test('a token not yet valid (nbf) is rejected', async () => {
    rejected(await verifier.verify(`Bearer ${hs256(claims({ nbf: now() + 3600 }))}`), 'token not yet valid');
  });

  test('the clock tolerance is respected', async () => {
    const expired10sAgo = `Bearer ${hs256(claims({ exp: now() - 10 }))}`;
    accepted(await verifier.verify(expired10sAgo));
    accepted(await verifier.verify(`Bearer ${hs256(claims({ nbf: now() + 10 }))}`));
    const strict = createTokenVerifier(authConfig({ clockToleranceSeconds: 0 }), { hs256Secret: SECRET });
    rejected(await strict.verify(expired10sAgo), 'token expired');
  });

  test('a wrong issuer or audience is rejected', async () => {
    rejected(await verifier.verify(`Bearer ${hs256(claims({ iss: 'https://evil.test/' }))}`), 'wrong issuer');
    rejected(await verifier.verify(`Bearer ${hs256(claims({ iss: undefined }))}`), 'wrong issuer');
    rejected(await verifier.verify(`Bearer ${hs256(claims({ aud: 'another-app' }))}`), 'wrong audience');
    rejected(await verifier.verify(`Bearer ${hs256(claims({ aud: undefined }))}`), 'wrong audience');
    accepted(await verifier.verify(`Bearer ${hs256(claims({ aud: ['another-app', AUDIENCE] }))}`));
  });

  test('an oversized token (> 8 KiB) is rejected before parsing', async () => {
    rejected(await verifier.verify(`Bearer ${hs256(claims({ padding: 'x'.repeat(9000) }))}`), 'token too large');
    rejected(await verifier.verify(`Bearer ${'a'.repeat(9000)}.b.c`), 'token too large');
  });

  test('a token without exp is rejected', async () => {
    rejected(await verifier.verify(`Bearer ${hs256(claims({ exp: undefined }))}`), 'token has no expiry (exp)');
  });

  test('a token without a string sub is rejected', async () => {
    rejected(await verifier.verify(`Bearer ${hs256(claims({ sub: undefined }))}`), 'token has no subject (sub)');
    rejected(await verifier.verify(`Bearer ${hs256(claims({ sub: '' }))}`), 'token has no subject (sub)');
  });

  test('a configuration that can verify nothing fails at creation', () => {
    assert.throws(() => createTokenVerifier(authConfig(), { hs256Secret: null }), /no HS256 secret.*LAKEGATE_JWT_SECRET/);
    assert.throws(() => createTokenVerifier(authConfig({ algorithms: ['RS256'] }), { hs256Secret: SECRET }), /jwksUri is not set/);
  });
});

// ---------------------------------------------------------------------------------------------
// JWKS (RS256 / ES256) against a real local HTTP server

interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

function rsaKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

function ecKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' } };
}

function signWith(key: TestKey, algorithm: 'RS256' | 'ES256', payload = claims(), kid = key.kid): string {
  return jwt.sign(payload, key.privateKey, { algorithm, keyid: kid, noTimestamp: true });
}

interface JwksServer {
  readonly uri: string;
  keys: Record<string, unknown>[];
  fetches: number;
}

describe('JWKS', () => {
  const jwks: JwksServer = { uri: '', keys: [], fetches: 0 };
  const server = http.createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    jwks.fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: jwks.keys }));
  });
  let jwksUri = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const rsa1 = rsaKey('rsa-1');
  const rsa2 = rsaKey('rsa-2');
  const ec1 = ecKey('ec-1');
  const publish = (...keys: TestKey[]): void => {
    jwks.keys = keys.map((key) => key.jwk);
  };
  const verifierFor = (algorithms: AuthConfig['algorithms'], hs256Secret: string | null = null) =>
    createTokenVerifier(authConfig({ algorithms, jwksUri }), { hs256Secret });

  test('RS256: a valid token is accepted', async () => {
    publish(rsa1);
    const principal = accepted(await verifierFor(['RS256']).verify(`Bearer ${signWith(rsa1, 'RS256')}`));
    assert.equal(principal.subject, 'user-1');
    assert.deepEqual(principal.principals, [ANALYST, 'arn:aws:identitystore:::group/g-1']);
  });

  test('RS256: keys are cached; a new kid after rotation triggers a refetch', async () => {
    publish(rsa1);
    const verifier = verifierFor(['RS256']);
    const before = jwks.fetches;
    accepted(await verifier.verify(`Bearer ${signWith(rsa1, 'RS256')}`));
    accepted(await verifier.verify(`Bearer ${signWith(rsa1, 'RS256')}`));
    assert.equal(jwks.fetches - before, 1, 'the second look-up of rsa-1 is served from the cache');

    publish(rsa1, rsa2);
    accepted(await verifier.verify(`Bearer ${signWith(rsa2, 'RS256')}`));
    assert.equal(jwks.fetches - before, 2, 'the unknown kid rsa-2 caused one refetch');
    accepted(await verifier.verify(`Bearer ${signWith(rsa1, 'RS256')}`));
    assert.equal(jwks.fetches - before, 2);
  });

  test('RS256: an unknown kid or a signature by another key is rejected', async () => {
    publish(rsa1);
    const verifier = verifierFor(['RS256']);
    rejected(await verifier.verify(`Bearer ${signWith(rsaKey('rsa-x'), 'RS256')}`), 'unknown signing key');
    rejected(await verifier.verify(`Bearer ${signWith(rsa2, 'RS256', claims(), 'rsa-1')}`), 'invalid signature');
    rejected(await verifier.verify(`Bearer ${signWith(rsa1, 'RS256', claims({ exp: now() - 3600 }))}`), 'token expired');
  });

  test('ES256: a valid token is accepted', async () => {
    publish(rsa1, ec1);
    const verifier = verifierFor(['RS256', 'ES256']);
    accepted(await verifier.verify(`Bearer ${signWith(ec1, 'ES256')}`));
    accepted(await verifier.verify(`Bearer ${signWith(rsa1, 'RS256')}`));
  });

  test('a JWKS key is never used for another algorithm', async () => {
    publish(rsa1, ec1);
    const verifier = verifierFor(['RS256', 'ES256']);
    // Header says ES256 but names the RSA key.
    const forged = `${b64url({ alg: 'ES256', typ: 'JWT', kid: 'rsa-1' })}.${b64url(claims())}.${'A'.repeat(86)}`;
    rejected(await verifier.verify(`Bearer ${forged}`), 'signing key does not match the token algorithm');
    // Same, with a key published without "alg": jsonwebtoken's key-type check catches it.
    jwks.keys = [{ ...rsa2.jwk, alg: undefined }];
    const noAlg = `${b64url({ alg: 'ES256', typ: 'JWT', kid: 'rsa-2' })}.${b64url(claims())}.${'A'.repeat(86)}`;
    rejected(await verifier.verify(`Bearer ${noAlg}`), 'signing key does not match the token algorithm');
  });

  test('HS/RS key confusion: an HS256 token keyed with the RSA public key is rejected', async () => {
    publish(rsa1);
    const publicPem = rsa1.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' })}.${b64url(claims())}`;
    const forged = `${signingInput}.${createHmac('sha256', publicPem).update(signingInput).digest('base64url')}`;
    rejected(await verifierFor(['HS256', 'RS256'], SECRET).verify(`Bearer ${forged}`), 'invalid signature');
    rejected(await verifierFor(['HS256', 'RS256'], null).verify(`Bearer ${forged}`), 'HS256 tokens are not accepted');
    rejected(await verifierFor(['RS256']).verify(`Bearer ${forged}`), 'token algorithm not allowed');
  });

  test('an unreachable JWKS endpoint is a server fault: verify rejects', async () => {
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const verifier = createTokenVerifier(authConfig({ algorithms: ['RS256'], jwksUri: `http://127.0.0.1:${port}/jwks.json` }), { hs256Secret: null });
    await assert.rejects(verifier.verify(`Bearer ${signWith(rsa1, 'RS256')}`), /cannot read signing keys/);
  });
});
