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
