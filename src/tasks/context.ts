import { AsyncLocalStorage } from 'node:async_hooks';

/** What a running task knows about itself (Celery's `self.request`). */
export interface TaskContext {
  /** The task id (Celery's `self.request.id`). */
  readonly id: string;
  readonly name: string;
  /** How many times this task has been retried so far. */
  readonly retries: number;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** Fires when the task is revoked; a task may catch it and clean up. */
  readonly signal: AbortSignal;
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
