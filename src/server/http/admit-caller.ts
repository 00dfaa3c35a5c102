import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../../auth/verifier';
import type { RequestRate } from '../../limits/request-rate';
import { authenticate, type Authentication } from './authenticate';
import { admitRequest } from './request-rate';

/** What every API route checks of its caller before reading the request. */
export interface CallerChecks {
  readonly verifier: TokenVerifier;
  /** Null when requests are not counted (limits.requestsPerWindow: 0). */
  readonly requestRate: RequestRate | null;
  readonly logger: Logger;
}

/** The caller of an API request: its bearer token verified, then the request counted against its rate. */
export async function admitCaller(checks: CallerChecks, req: IncomingMessage): Promise<Authentication> {
  const authentication = await authenticate(checks.verifier, req.headers.authorization);
  if (!authentication.ok || !checks.requestRate) return authentication;
  const limited = await admitRequest(checks.requestRate, authentication.principal.subject, checks.logger);
  return limited ? { ok: false, refusal: limited } : authentication;
}
