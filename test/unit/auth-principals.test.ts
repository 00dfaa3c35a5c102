import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapClaimsToPrincipals, readClaim, type PrincipalRule } from '../../src/auth/principals';

const ANALYST = 'arn:aws:iam::111122223333:role/Analyst';
const HR = 'arn:aws:iam::111122223333:role/HR';
const GROUP = 'arn:aws:identitystore:::group/{value}';

test('equals matches a string claim', () => {
  const rules: PrincipalRule[] = [
    { claim: 'role', equals: 'analyst', principals: [ANALYST] },
    { claim: 'role', equals: 'hr', principals: [HR] },
  ];
  assert.deepEqual(mapClaimsToPrincipals({ role: 'analyst' }, rules), [ANALYST]);
  assert.deepEqual(mapClaimsToPrincipals({ role: 'Analyst' }, rules), []);
  assert.deepEqual(mapClaimsToPrincipals({}, rules), []);
});

test('equals matches when an array claim contains the value', () => {
  const rules: PrincipalRule[] = [
    { claim: 'roles', equals: 'analyst', principals: [ANALYST] },
    { claim: 'roles', equals: 'hr', principals: [HR] },
    { claim: 'roles', equals: 'nobody', principals: ['arn:aws:iam::1:role/Nobody'] },
  ];
  assert.deepEqual(mapClaimsToPrincipals({ roles: ['hr', 'analyst'] }, rules), [ANALYST, HR]);
});

test('equals compares numbers and booleans strictly', () => {
  const rules: PrincipalRule[] = [
    { claim: 'level', equals: 3, principals: ['L3'] },
    { claim: 'admin', equals: true, principals: ['ADMIN'] },
  ];
  assert.deepEqual(mapClaimsToPrincipals({ level: 3, admin: true }, rules), ['L3', 'ADMIN']);
  assert.deepEqual(mapClaimsToPrincipals({ level: '3', admin: 'true' }, rules), []);
});

test('a template without equals is filled from each value of an array claim', () => {
  const rules: PrincipalRule[] = [{ claim: 'groups', principals: [GROUP] }];
  assert.deepEqual(mapClaimsToPrincipals({ groups: ['g-1', 'sales@corp', 42, 'g-2'] }, rules), [
    'arn:aws:identitystore:::group/g-1',
    'arn:aws:identitystore:::group/sales@corp',
    'arn:aws:identitystore:::group/g-2',
  ]);
  assert.deepEqual(mapClaimsToPrincipals({ groups: 'solo' }, rules), ['arn:aws:identitystore:::group/solo']);
  assert.deepEqual(mapClaimsToPrincipals({ groups: 42 }, rules), []);
});

test('unsafe values are never interpolated', () => {
  const rules: PrincipalRule[] = [{ claim: 'groups', principals: [GROUP] }];
  const unsafe = ['a b', 'x*', 'g"1', 'g\n1', '{value}', 'a;b', '', 'é', 'x'.repeat(300)];
  assert.deepEqual(mapClaimsToPrincipals({ groups: [...unsafe, 'ok-1'] }, rules), ['arn:aws:identitystore:::group/ok-1']);
  // A constant principal (no {value}) is not an interpolation: the claim's presence is enough.
  assert.deepEqual(mapClaimsToPrincipals({ groups: ['a b'] }, [{ claim: 'groups', principals: ['CONST'] }]), ['CONST']);
});

test('every {value} in a template is replaced', () => {
  const rules: PrincipalRule[] = [{ claim: 'team', principals: ['arn:aws:iam::1:role/{value}-{value}'] }];
  assert.deepEqual(mapClaimsToPrincipals({ team: 'data' }, rules), ['arn:aws:iam::1:role/data-data']);
});

test('results are deduplicated in first-seen order', () => {
  const rules: PrincipalRule[] = [
    { claim: 'groups', principals: [GROUP] },
    { claim: 'role', equals: 'analyst', principals: [ANALYST, 'arn:aws:identitystore:::group/g-1'] },
    { claim: 'roles', equals: 'analyst', principals: [ANALYST] },
  ];
  const claims = { groups: ['g-1', 'g-2', 'g-1'], role: 'analyst', roles: ['analyst'] };
  assert.deepEqual(mapClaimsToPrincipals(claims, rules), [
    'arn:aws:identitystore:::group/g-1',
    'arn:aws:identitystore:::group/g-2',
    ANALYST,
  ]);
});

test('dotted paths read nested claims; an exact top-level name wins', () => {
  const rules: PrincipalRule[] = [{ claim: 'realm_access.roles', equals: 'analyst', principals: [ANALYST] }];
  assert.deepEqual(mapClaimsToPrincipals({ realm_access: { roles: ['analyst'] } }, rules), [ANALYST]);
  assert.deepEqual(mapClaimsToPrincipals({ realm_access: ['analyst'] }, rules), []);
  const url = 'https://example.com/roles';
  assert.deepEqual(mapClaimsToPrincipals({ [url]: ['hr'] }, [{ claim: url, equals: 'hr', principals: [HR] }]), [HR]);
});

test('paths only read own properties', () => {
  assert.equal(readClaim({}, 'constructor'), undefined);
  assert.equal(readClaim({ a: {} }, 'a.__proto__'), undefined);
  assert.equal(readClaim({ a: 'text' }, 'a.length'), undefined);
  assert.deepEqual(mapClaimsToPrincipals({ a: {} }, [{ claim: 'a.toString', principals: ['X'] }]), []);
});
