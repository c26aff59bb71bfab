/**
 * Celery's `AsyncResult`: a handle on one task (or canvas member) by id. Each call reads the
 * task from Temporal again; nothing is cached. Get one from `CelerityClient.asyncResult(id)`.
 */
import type { RevokeReason } from '../tasks/errors.js';
import { TaskFailedError, TaskRevokedError, TaskTimeoutError } from './errors.js';
import { isReady, type TaskState } from './state.js';
import type { TaskResult } from './task-result.js';

/** What an AsyncResult asks of the client. */
export interface TaskReader {
  get(id: string): Promise<TaskResult>;
  waitResult(id: string, timeoutS: number): Promise<TaskResult>;
  revoke(id: string, options?: { terminate?: boolean; reason?: string }): Promise<TaskResult>;
}

export class AsyncResult {
  constructor(readonly id: string, private readonly reader: TaskReader) {}

  /** Its state now: PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED, or a custom one (PROGRESS). */
  async state(): Promise<TaskState> {
    return (await this.reader.get(this.id)).state;
  }

  /** Whether it is ready: SUCCESS, FAILURE or REVOKED. */
  async ready(): Promise<boolean> {
    return isReady(await this.state());
  }

  /**
   * Waits up to `timeout` seconds (default 10) and gives its result, as Celery's `get()`.
   * @throws TaskTimeoutError when it is not ready by then; TaskFailedError (its error's type,
   *   message and traceback) or TaskRevokedError (the reason) unless `propagate` is false, in
   *   which case the result (null) is given.
   */
  async get({ timeout = 10, propagate = true }: { timeout?: number; propagate?: boolean } = {}): Promise<unknown> {
    const task = await this.reader.waitResult(this.id, timeout);
    if (!isReady(task.state)) throw new TaskTimeoutError(this.id, timeout);
    if (propagate && task.state === 'FAILURE') throw new TaskFailedError(this.id, task.error!);
    if (propagate && task.state === 'REVOKED') throw new TaskRevokedError(this.id, task.reason as RevokeReason);
    return task.result;
  }

  /** Its members and callbacks, as Celery's `AsyncResult.children`. */
  async children(): Promise<AsyncResult[]> {
    return (await this.reader.get(this.id)).children.map((child) => new AsyncResult(child.id, this.reader));
  }

  /** Revokes it (Celery's `revoke`): cancelled, or with `terminate` stopped at once. */
  async revoke(options: { terminate?: boolean; reason?: string } = {}): Promise<void> {
    await this.reader.revoke(this.id, options);
  }
}
