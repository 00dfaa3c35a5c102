import type { AuthConfig } from '../config/schema';

export type PrincipalRule = AuthConfig['principals'][number];

/**
 * Claim values may only enter a principal template when they look like an ARN fragment (no
 * spaces, quotes, wildcards, braces or control characters), so a crafted claim cannot forge a
 * different ARN shape. Long values are ignored too.
 */
const SAFE_VALUE = /^[A-Za-z0-9_.:@/+=,-]+$/;
const MAX_VALUE_LENGTH = 256;
const PLACEHOLDER = '{value}';

/**
 * Maps verified claims to Lake Formation principal identifiers. Pure.
 *
 * - With `equals`: the rule matches when the claim equals it (or, for an array claim, contains
 *   it); its principals are emitted (a `{value}` in them stands for the `equals` value).
 * - Without `equals`: the rule applies to each value of the claim (a string, or each string of an
 *   array claim), `{value}` standing for that value. Values failing the safe-value check are ignored.
 *
 * The result is deduplicated, in first-seen order (rules in order, then values in claim order).
 */
export function mapClaimsToPrincipals(claims: Readonly<Record<string, unknown>>, rules: readonly PrincipalRule[]): string[] {
  const found = new Set<string>();
  for (const rule of rules) {
    const claim = readClaim(claims, rule.claim);
    if (claim === undefined) continue;
    const values = rule.equals === undefined ? claimStrings(claim) : matches(claim, rule.equals) ? [String(rule.equals)] : [];
    for (const value of values) {
      for (const template of rule.principals) {
        const principal = fillTemplate(template, value);
        if (principal !== null) found.add(principal);
      }
    }
  }
  return [...found];
}

/**
 * Reads a claim by name. A top-level claim of exactly that name wins (claim names such as
 * `https://example.com/roles` contain dots); otherwise a dotted path walks nested objects
 * (`realm.roles`). Only own properties are read, so `__proto__` and friends resolve to nothing.
 */
export function readClaim(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let current: unknown = claims;
  for (const part of name.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function matches(claim: unknown, expected: string | number | boolean): boolean {
  return Array.isArray(claim) ? claim.some((item) => item === expected) : claim === expected;
}

function claimStrings(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === 'string');
  return [];
}

function isSafeValue(value: string): boolean {
  return value.length <= MAX_VALUE_LENGTH && SAFE_VALUE.test(value);
}

/** The template with every `{value}` replaced; null when the value may not be interpolated. */
function fillTemplate(template: string, value: string): string | null {
  if (!template.includes(PLACEHOLDER)) return template;
  return isSafeValue(value) ? template.split(PLACEHOLDER).join(value) : null;
}
