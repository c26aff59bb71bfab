/** The errors the client answers with when it cannot read a task. */

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
