import { AsyncLocalStorage } from 'node:async_hooks';
import type { RetryRequestOptions } from './retry.js';

/** What a running task knows about itself and can do (Celery's `self.request` and `self`). */
export interface TaskContext {
  /** The task id (Celery's `self.request.id`). */
  readonly id: string;
  readonly name: string;
  /** How many times this task has been retried so far. */
  readonly retries: number;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, unknown>>;
  /**
   * Fires when the task is revoked, or with SoftTimeLimitExceeded at its soft time limit;
   * the task may catch it and clean up.
   */
  readonly signal: AbortSignal;
  /** Asks to run the task again (Celery's `raise self.retry(...)`); it always throws. */
  retry(options?: RetryRequestOptions): never;
  /** Reports a custom state such as PROGRESS with its meta (Celery's `update_state`). */
  updateState(state: string, meta?: unknown): void;
}

const storage = new AsyncLocalStorage<TaskContext>();

export function runInTaskContext<T>(context: TaskContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the task being run; throws outside a task. */
export function currentTask(): TaskContext {
  const context = storage.getStore();
  if (!context) throw new Error('currentTask() is only available while a Celerity task runs');
  return context;
}
