/**
 * Failure shapes the adapters share: the Node socket errors every driver surfaces, and how an AWS
 * SDK v3 error reads (name, HTTP status, fault side). Each adapter maps them to EngineError codes
 * with its own wording; the tests here are the one place these lists live.
 */

/** Socket-level and DNS failures (Node error codes). */
export const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Error names the AWS front door uses for "slow down" (the SDK's list, narrowed to what these APIs send). */
export const AWS_THROTTLING_NAMES: readonly string[] = ['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded', 'ThrottledException'];

export interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
}

/** A throttling test for one API: any of `names`, or HTTP 429. */
export function throttlingTest(names: readonly string[]): (error: unknown) => boolean {
  const known = new Set(names);
  return (error) => {
    const shape = error as SdkErrorShape | null;
    return !!shape && (known.has(shape.name ?? '') || shape.$metadata?.httpStatusCode === 429);
  };
}

export function isAbortError(error: unknown): boolean {
  return (error as SdkErrorShape | null)?.name === 'AbortError';
}

/** No answer from the service, or a server-side one: the socket failed, no status came, a 5xx, or a server fault. */
export function isUnreachable(shape: SdkErrorShape): boolean {
  const status = shape.$metadata?.httpStatusCode;
  return NETWORK_CODES.has(shape.code ?? '') || status === undefined || status >= 500 || shape.$fault === 'server';
}

/** `Name: ` for a message prefix, or nothing when the error has no name. */
export function namePrefix(name: string | undefined): string {
  return name ? `${name}: ` : '';
}
