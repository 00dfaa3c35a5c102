/**
 * Who is calling, as the rest of the road sees it. Nothing downstream of auth reads a raw token:
 * it reads the verified subject, the Lake Formation principal identifiers its claims map to,
 * and (for audit and row-filter context) the verified claims themselves.
 */
export interface Principal {
  /** The token's `sub` claim. */
  readonly subject: string;
  /** Lake Formation principal identifiers (IAM role ARNs, Identity Center groups, ...). */
  readonly principals: readonly string[];
  /** The verified token payload (frozen). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * Verification outcome. Errors are values: `reason` is a short message that is safe to send to
 * the client (it never echoes token content).
 */
export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: string };
