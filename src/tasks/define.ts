import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { bindArguments } from './binding.js';
import { runInTaskContext } from './context.js';
import type { TaskOptions } from './options.js';

/** The activity input of every task: Celery's args and kwargs, and the task's own id. */
export interface TaskRequest {
  id: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

// Task functions take and return anything JSON can carry.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TaskFunction = (...args: any[]) => unknown;

export interface Task<F extends TaskFunction = TaskFunction> {
  readonly name: string;
  readonly options: Readonly<TaskOptions>;
  readonly fn: F;
  /** The Temporal activity that runs this task; its activity type is the task's name. */
  readonly activity: (request: TaskRequest) => Promise<unknown>;
}

const HEARTBEAT_INTERVAL_MS = 1000;

/** Defines a task (Celery's `@app.task`): a named function run as a Temporal activity. */
export function defineTask<F extends TaskFunction>(name: string, options: TaskOptions, fn: F): Task<F> {
  if (!/^[\w.:-]+$/.test(name)) throw new Error(`invalid task name ${JSON.stringify(name)}`);
  const activity = async (request: TaskRequest) => {
    const activityContext = Context.current();
    const positional = bindArguments(name, options.params, request.args, request.kwargs);
    // Regular heartbeats let the server notice a lost worker and deliver revokes promptly.
    const heartbeat = setInterval(() => activityContext.heartbeat(), HEARTBEAT_INTERVAL_MS);
    try {
      const context = {
        id: request.id,
        name,
        retries: activityContext.info.attempt - 1,
        args: request.args,
        kwargs: request.kwargs,
        signal: activityContext.cancellationSignal,
      };
      return await runInTaskContext(context, () => fn(...positional));
    } catch (err) {
      if (err instanceof CancelledFailure) throw err;
      // Celery does not retry a task that raised unless asked to; only lost workers retry.
      throw ApplicationFailure.fromError(err, { nonRetryable: true });
    } finally {
      clearInterval(heartbeat);
    }
  };
  Object.defineProperty(activity, 'name', { value: name });
  return { name, options: Object.freeze({ ...options }), fn, activity };
}
