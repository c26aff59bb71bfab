/** Error types and reasons shared by workflow code (which raises them) and the client (which reads them). */
export const TASK_REVOKED_ERROR = 'TaskRevokedError';
export const TIME_LIMIT_EXCEEDED = 'TimeLimitExceeded';

export type RevokeReason = 'revoked' | 'expired' | 'terminated';
