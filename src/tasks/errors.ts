/** Error types and reasons shared by workflow code (which raises them) and the client (which reads them). */
export const TASK_REVOKED_ERROR = 'TaskRevokedError';
export const TIME_LIMIT_EXCEEDED = 'TimeLimitExceeded';

export type RevokeReason = 'revoked' | 'expired' | 'terminated';

/** Delivered through the task's signal at its soft time limit; the task may catch it. */
export class SoftTimeLimitExceeded extends Error {
  override name = 'SoftTimeLimitExceeded';
  constructor(limitS: number) {
    super(`soft time limit (${limitS}s) exceeded`);
  }
}

export const PAYLOAD_TOO_LARGE_ERROR = 'PayloadTooLargeError';
/** What a task whose result is too large should do instead. */
export const RESULT_TOO_LARGE_ADVICE =
  'return a reference to stored data (a file, an object-store key, a database id) instead of the data itself';

/**
 * A task's input or result is larger than Temporal stores in one payload. Raised before the
 * payload reaches Temporal, which would otherwise refuse it and retry the task for ever.
 */
export class PayloadTooLargeError extends Error {
  override name = PAYLOAD_TOO_LARGE_ERROR;
  constructor(what: string, readonly size: number, readonly limit: number, advice: string) {
    super(`${what} is ${bytes(size)} once encoded, over Temporal's payload size limit of ${bytes(limit)}; ${advice}`);
  }
}

function bytes(n: number): string {
  return `${(n / 2 ** 20).toFixed(2)} MiB (${n.toLocaleString('en-US')} bytes)`;
}
