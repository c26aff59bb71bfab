/** The errors the client answers with when it cannot read or revoke a task. */

/** The workflow running a canvas could not answer for its members, and its history cannot either. */
export class CanvasUnreadableError extends Error {
  override name = 'CanvasUnreadableError';
  constructor(readonly taskId: string, cause: Error) {
    super(`the members of ${taskId} cannot be read now (${cause.message}); is a worker running?`);
  }
}

export class TaskNotFoundError extends Error {
  constructor(readonly taskId: string) {
    super(`no task with id ${JSON.stringify(taskId)}`);
    this.name = 'TaskNotFoundError';
  }
}

/**
 * A canvas member is revoked with its canvas: its workflow is the canvas's, and stopping one
 * member inside it is not supported yet.
 */
export class MemberRevokeError extends Error {
  override name = 'MemberRevokeError';
  constructor(readonly taskId: string, readonly canvasId: string) {
    super(`${taskId} is a member of canvas ${canvasId}; revoke the canvas instead (POST /tasks/${canvasId}/revoke)`);
  }
}

/** `AsyncResult.get` waited its timeout and the task was not ready (Celery's `TimeoutError`). */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
  constructor(readonly taskId: string, readonly timeoutS: number) {
    super(`task ${taskId} was not ready after ${timeoutS} s`);
  }
}

/** The task ended FAILURE: its own error's type, message and traceback. */
export class TaskFailedError extends Error {
  override name = 'TaskFailedError';
  constructor(readonly taskId: string, readonly error: { type: string; message: string; traceback: string | null }) {
    super(`task ${taskId} raised ${error.type}: ${error.message}`);
  }
}

/** The task ended REVOKED (revoked, expired or terminated). */
export class TaskRevokedError extends Error {
  override name = 'TaskRevokedError';
  constructor(readonly taskId: string, readonly reason: string) {
    super(`task ${taskId} was revoked (${reason})`);
  }
}
