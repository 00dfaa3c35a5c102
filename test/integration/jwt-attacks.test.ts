import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app';

/**
 * Forged, broken and stale bearer tokens at the HTTP edge. The test app verifies HS256 tokens
 * with TEST_SECRET, issuer `lakegate-local` and audience `lakegate`. Every attack must get HTTP
 * 401 UNAUTHENTICATED without a stack trace, and the server must keep serving valid tokens.
 */

const ISSUER = 'lakegate-local';
const AUDIENCE = 'lakegate';
const QUERY = '{ catalog { datasets { name } } }';

const now = (): number => Math.floor(Date.now() / 1000);
const b64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Claims of a token the app would accept; a key set to undefined is left out. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = { sub: 'mallory', role: 'engineer', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...overrides };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

function hs256(payload: Record<string, unknown> = claims(), secret: string = TEST_SECRET): string {
  return jwt.sign(payload, secret, { algorithm: 'HS256', noTimestamp: true });
}

/** A compact JWS from a raw header and payload, signed by `sign` over `header.payload`. */
function craft(header: unknown, payload: unknown, sign: (input: string) => string = () => ''): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign(input)}`;
}

const hmacWith = (key: string | Buffer) => (input: string): string => createHmac('sha256', key).update(input).digest('base64url');

/** Changes the last character to one whose most significant bit differs, so the decoded bytes change. */
function flipLastChar(token: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const index = alphabet.indexOf(token.at(-1)!);
  return token.slice(0, -1) + alphabet[index ^ 32];
}

const { publicKey: rsaPublic, privateKey: rsaPrivate } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PUBLIC_PEM = rsaPublic.export({ type: 'spki', format: 'pem' }).toString();

interface Attack {
  readonly name: string;
  /** The Authorization header sent; null sends none. */
  readonly authorization: () => string | null;
  /** The reason in the 401's message. */
  readonly reason: RegExp;
}

const bearer = (token: string): string => `Bearer ${token}`;

const ATTACKS: readonly Attack[] = [
  ...['none', 'None', 'NONE', 'nOnE'].map((alg): Attack => ({
    name: `alg "${alg}" with an empty signature`,
    authorization: () => bearer(craft({ alg, typ: 'JWT' }, claims())),
    reason: /unsigned tokens are not accepted/,
  })),
  {
    name: 'alg "none" carrying a real HMAC signature',
    authorization: () => bearer(craft({ alg: 'none', typ: 'JWT' }, claims(), hmacWith(TEST_SECRET))),
    reason: /unsigned tokens are not accepted/,
  },
  {
    name: 'key confusion: an RS256-looking token (kid, RSA key) HMAC-signed as HS256 with the PEM public key as the secret',
    authorization: () => bearer(craft({ alg: 'HS256', typ: 'JWT', kid: 'rsa-key-1' }, claims(), hmacWith(RSA_PUBLIC_PEM))),
    reason: /invalid signature/,
  },
  {
    name: 'key confusion: an RS256 header over an HMAC signature made with the PEM public key',
    authorization: () => bearer(craft({ alg: 'RS256', typ: 'JWT' }, claims(), hmacWith(RSA_PUBLIC_PEM))),
    reason: /token algorithm not allowed/,
  },
  {
    name: 'key confusion: an RS256 header over an HMAC signature made with the real HS256 secret',
    authorization: () => bearer(craft({ alg: 'RS256', typ: 'JWT' }, claims(), hmacWith(TEST_SECRET))),
    reason: /token algorithm not allowed/,
  },
  {
    name: 'a genuine RS256 token (RS256 is not allow-listed)',
    authorization: () => bearer(jwt.sign(claims(), rsaPrivate, { algorithm: 'RS256', noTimestamp: true })),
    reason: /token algorithm not allowed/,
  },
  {
    name: 'a lower-case "hs256" header with a valid HMAC signature',
    authorization: () => bearer(craft({ alg: 'hs256', typ: 'JWT' }, claims(), hmacWith(TEST_SECRET))),
    reason: /token algorithm not allowed/,
  },
  {
    name: 'an expired token (exp an hour ago, beyond the clock tolerance)',
    authorization: () => bearer(hs256(claims({ iat: now() - 7200, exp: now() - 3600 }))),
    reason: /token expired/,
  },
  {
    name: 'a token not yet valid (nbf in an hour)',
    authorization: () => bearer(hs256(claims({ nbf: now() + 3600 }))),
    reason: /token not yet valid/,
  },
  {
    name: 'a wrong issuer',
    authorization: () => bearer(hs256(claims({ iss: 'https://evil.example/' }))),
    reason: /wrong issuer/,
  },
  {
    name: 'no issuer',
    authorization: () => bearer(hs256(claims({ iss: undefined }))),
    reason: /wrong issuer/,
  },
  {
    name: 'a wrong audience',
    authorization: () => bearer(hs256(claims({ aud: 'another-app' }))),
    reason: /wrong audience/,
  },
  {
    name: 'a bad signature (last character flipped)',
    authorization: () => bearer(flipLastChar(hs256())),
    reason: /invalid signature/,
  },
  {
    name: 'a tampered payload (role escalated) under the original signature',
    authorization: () => {
      const [header, , signature] = hs256(claims({ role: 'guest' })).split('.');
      return bearer(`${header}.${b64url(claims({ role: 'engineer' }))}.${signature}`);
    },
    reason: /invalid signature/,
  },
  {
    name: 'malformed: two parts',
    authorization: () => bearer(hs256().split('.').slice(0, 2).join('.')),
    reason: /malformed token/,
  },
  {
    name: 'malformed: four parts',
    authorization: () => bearer(`${hs256()}.${b64url('extra')}`),
    reason: /malformed token/,
  },
  {
    name: 'malformed: not base64url',
    authorization: () => bearer('e30=.e30=.sig+/'),
    reason: /malformed token/,
  },
  {
    name: 'malformed: a header that is not JSON',
    authorization: () => {
      const [, payload, signature] = hs256().split('.');
      return bearer(`${b64url('{"alg":"HS256",')}.${payload}.${signature}`);
    },
    reason: /malformed token/,
  },
  {
    name: 'malformed: a header that is JSON but not an object',
    authorization: () => bearer(craft('"HS256"', claims(), hmacWith(TEST_SECRET))),
    reason: /malformed token/,
  },
  {
    name: 'malformed: a validly signed payload that is not JSON',
    authorization: () => {
      const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url('sub=mallory&exp=9999999999')}`;
      return bearer(`${input}.${hmacWith(TEST_SECRET)(input)}`);
    },
    reason: /malformed token|invalid token/,
  },
  {
    name: 'malformed: a validly signed payload that is a JSON array',
    authorization: () => bearer(craft({ alg: 'HS256', typ: 'JWT' }, [claims()], hmacWith(TEST_SECRET))),
    // jsonwebtoken checks the claims on the array itself, so it fails on the (absent) audience first.
    reason: /malformed token|invalid token|wrong audience|wrong issuer/,
  },
  {
    name: 'oversized: a correctly signed token over 8 KiB',
    authorization: () => {
      const token = hs256(claims({ padding: 'x'.repeat(9000) }));
      assert.ok(token.length > 8 * 1024);
      return bearer(token);
    },
    reason: /token too large/,
  },
  {
    name: 'a token without exp',
    authorization: () => bearer(hs256(claims({ exp: undefined }))),
    reason: /token has no expiry \(exp\)/,
  },
  {
    name: 'a token without sub',
    authorization: () => bearer(hs256(claims({ sub: undefined }))),
    reason: /token has no subject \(sub\)/,
  },
  {
    name: 'a token with an empty sub',
    authorization: () => bearer(hs256(claims({ sub: '' }))),
    reason: /token has no subject \(sub\)/,
  },
  {
    name: 'a token signed with another secret',
    authorization: () => bearer(hs256(claims(), 'another-secret-another-secret-another-secret-0123')),
    reason: /invalid signature/,
  },
  {
    name: 'a Bearer header with nothing after it',
    authorization: () => 'Bearer',
    reason: /missing bearer token/,
  },
  {
    name: 'a Bearer header followed only by spaces',
    authorization: () => 'Bearer    ',
    reason: /missing bearer token/,
  },
  {
    name: 'no Authorization header',
    authorization: () => null,
    reason: /missing bearer token/,
  },
  {
    name: 'a valid token under another scheme',
    authorization: () => `Basic ${hs256()}`,
    reason: /unsupported authorization scheme/,
  },
];

let app: TestApp;

before(async () => {
  app = await startTestApp({ rows: 200 });
});
after(() => app.close());

function post(authorization: string | null): request.Test {
  const req = request(app.lakegate.app).post('/graphql').set('Content-Type', 'application/json');
  if (authorization !== null) req.set('Authorization', authorization);
  return req.send({ query: QUERY });
}

function assertNoStack(response: request.Response): void {
  const text = response.text;
  assert.ok(!/stacktrace|\bat .+\.[cm]?[jt]s:\d+|\n\s+at /.test(text), `no stack trace expected in ${text}`);
}

async function assertServesValidToken(): Promise<void> {
  const response = await post(bearer(app.token('engineer')));
  assert.equal(response.status, 200, response.text);
  assert.equal(response.body.errors, undefined, response.text);
  const datasets = response.body.data?.catalog?.datasets as { name: string }[] | undefined;
  assert.ok(Array.isArray(datasets) && datasets.length > 0, response.text);
}

describe('JWT attacks at /graphql', () => {
  for (const attack of ATTACKS) {
    test(`${attack.name} → 401 UNAUTHENTICATED`, async () => {
      const response = await post(attack.authorization());
      assert.equal(response.status, 401, response.text);
      assert.equal(response.body.data, undefined, response.text);
      assert.equal(response.body.errors?.length, 1, response.text);
      const [error] = response.body.errors as { message: string; extensions: Record<string, unknown> }[];
      assert.equal(error!.extensions['code'], 'UNAUTHENTICATED', response.text);
      assert.deepEqual(Object.keys(error!.extensions), ['code'], response.text);
      assert.match(error!.message, /^Unauthenticated: /);
      assert.match(error!.message, attack.reason);
      assert.match(String(response.headers['www-authenticate']), /^Bearer error="invalid_token"/);
      assertNoStack(response);
      // The server is unharmed: the next valid token is answered.
      await assertServesValidToken();
    });
  }

  test('a valid engineer token gets 200 and the catalog', async () => {
    const response = await post(bearer(app.token('engineer')));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.errors, undefined, response.text);
    const names = (response.body.data.catalog.datasets as { name: string }[]).map((dataset) => dataset.name);
    assert.ok(names.includes('transactions'), response.text);
  });

  test('a hand-made token with the same claims as a valid one is accepted (the attacks above differ only in what they break)', async () => {
    const response = await post(bearer(hs256()));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.errors, undefined, response.text);
  });
});
