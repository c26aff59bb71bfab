import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { bindArguments } from './binding.js';
import { runInTaskContext, type TaskContext } from './context.js';
import { SoftTimeLimitExceeded } from './errors.js';
import type { MapCall } from './map-call.js';
import { validateTaskOptions, type ActivityPlan, type TaskOptions } from './options.js';
import { decideRetry, Retry } from './retry.js';
import { checkResultSize } from '../temporal/payload-limit.js';
import { TASK_WORKFLOW } from '../temporal/workflow-types.js';
import { INPUT_TOO_LARGE_ADVICE, isTooLarge, tooLargeFailure } from '../temporal/payload-marker.js';

/** The activity input of every task: its id, Celery's args and kwargs, and the call's plan. */
export interface TaskRequest {
  id: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  plan: ActivityPlan;
  /** Set for the built-in map and starmap activities only (map.ts): the items and their task. */
  map?: MapCall;
}

/** What a task reports while it runs, carried in its activity heartbeats. */
export interface TaskProgress {
  state: string;
  meta: unknown;
}

// Task functions take and return anything JSON can carry.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TaskFunction = (...args: any[]) => unknown;

export interface Task<F extends TaskFunction = TaskFunction, N extends string = string> {
  readonly name: N;
  readonly options: Readonly<TaskOptions>;
  readonly fn: F;
  /** The Temporal activity that runs this task; its activity type is the task's name. */
  readonly activity: (request: TaskRequest) => Promise<unknown>;
}

const HEARTBEAT_INTERVAL_MS = 1000;

/** Defines a task (Celery's `@app.task`): a named function run as a Temporal activity. */
export function defineTask<N extends string, F extends TaskFunction>(name: N, options: TaskOptions, fn: F): Task<F, N> {
  if (!/^[\w.:-]+$/.test(name)) throw new Error(`invalid task name ${JSON.stringify(name)}`);
  validateTaskOptions(name, options);
  const task = { name, options, fn };
  const activity = (request: TaskRequest) => runAttempt(name, request, ({ context }) => callTask(task, context));
  Object.defineProperty(activity, 'name', { value: name });
  return { name, options: Object.freeze({ ...options }), fn, activity };
}

/** Task outcomes by task name, in the worker's metrics (see installRuntime). */
function count(activity: Context, outcome: 'succeeded' | 'failed' | 'retried', task: string): void {
  activity.metricMeter.createCounter(`celerity_tasks_${outcome}`, 'tasks', `Task attempts that ${outcome}`).add(1, { task });
}

/** What an attempt's body (the code that calls the task) gets from the attempt around it. */
export interface Attempt {
  /** The task's context for this attempt: its id, retries, signal, `retry()`, `updateState()`. */
  readonly context: TaskContext;
  /** Whether the last report (or the attempt's start) is a second old or more. */
  reportDue(): boolean;
  /** Heartbeats `details` now, and in every regular heartbeat after, until reported again. */
  report(details: unknown): void;
}

/** Calls the task's function with the context's args and kwargs bound to its parameters, in that context. */
export async function callTask(task: Pick<Task, 'name' | 'options' | 'fn'>, context: TaskContext): Promise<unknown> {
  const positional = bindArguments(task.name, task.options.params, context.args, context.kwargs);
  return runInTaskContext(context, () => task.fn(...positional));
}

/**
 * One attempt of activity `name`: cancellation (revoke), the soft time limit, regular
 * heartbeats, Celery's retry decision on the body's error, the result size check and the
 * worker's metrics, around `body`, which calls the task (once for a task, per item for a map).
 */
export async function runAttempt(name: string, request: TaskRequest, body: (attempt: Attempt) => Promise<unknown>): Promise<unknown> {
  const activity = Context.current();
  if (isTooLarge(request)) {
    // The codec stood in for an input over the payload limit (a chord body's header results, a
    // chain's previous result): the same input would be as large again, so this is final.
    count(activity, 'failed', name);
    throw tooLargeFailure(`the input of ${name} ${activity.info.activityId}`, request, INPUT_TOO_LARGE_ADVICE);
  }
  const { plan } = request;
  const retries = activity.info.attempt - 1;
  const abort = new AbortController();
  const onCancel = () => abort.abort(activity.cancellationSignal.reason);
  activity.cancellationSignal.addEventListener('abort', onCancel);
  const softLimit =
    plan.softTimeLimitS === undefined
      ? undefined
      : setTimeout(() => abort.abort(new SoftTimeLimitExceeded(plan.softTimeLimitS!)), plan.softTimeLimitS * 1000);
  let details: unknown;
  let reportedAt = Date.now();
  // Regular heartbeats let the server notice a lost worker, deliver revokes promptly and show progress.
  const heartbeat = setInterval(() => activity.heartbeat(details), HEARTBEAT_INTERVAL_MS);
  const report = (reported: unknown) => {
    details = reported;
    reportedAt = Date.now();
    activity.heartbeat(details);
  };

  const context: TaskContext = {
    id: request.id,
    name,
    retries,
    args: request.args,
    kwargs: request.kwargs,
    headers: plan.headers,
    signal: abort.signal,
    retry: (retryOptions = {}) => {
      throw new Retry(retryOptions);
    },
    updateState: (state, meta = null) => report({ state, meta } satisfies TaskProgress),
  };
  let result: unknown;
  try {
    result = await body({ context, report, reportDue: () => Date.now() - reportedAt >= HEARTBEAT_INTERVAL_MS });
  } catch (err) {
    // Cancelled by Temporal (a revoke, a worker's shutdown past its grace period): report the
    // cancellation itself, whatever the task threw on its signal (Node's APIs throw an
    // AbortError), so that Temporal retries or cancels the task rather than failing it.
    if (err instanceof CancelledFailure || activity.cancellationSignal.aborted) throw activity.cancellationSignal.reason ?? err;
    // Marked final by the body (a map's results outgrowing the payload limit): no retry rule applies.
    if (err instanceof ApplicationFailure && err.nonRetryable) {
      count(activity, 'failed', name);
      throw err;
    }
    const decision = decideRetry(err, plan.retry, retries, () => `${name}[${request.id}]`);
    count(activity, decision.retry ? 'retried' : 'failed', name);
    if (!decision.retry) throw ApplicationFailure.fromError(decision.error, { nonRetryable: true });
    // Temporal runs the next attempt after this delay, durably.
    throw ApplicationFailure.fromError(decision.error, {
      nonRetryable: false,
      nextRetryDelay: Math.max(1, Math.round(decision.delayS * 1000)),
    });
  } finally {
    clearInterval(heartbeat);
    clearTimeout(softLimit);
    activity.cancellationSignal.removeEventListener('abort', onCancel);
  }
  // ignore_result skips storing the value, not passing it on: a canvas's next step and link
  // callbacks still receive it (the canvas workflow shows the member's result as null); only a
  // single task's workflow, which nothing else reads, drops it here.
  const stored = plan.ignoreResult && activity.info.workflowType === TASK_WORKFLOW ? null : result;
  try {
    await checkResultSize(name, stored);
  } catch (err) {
    // Final: the same result would be too large again. Checked here, not left to the codec's
    // marker, so the task fails where it ran: its error and the worker's counters say so.
    count(activity, 'failed', name);
    throw ApplicationFailure.fromError(err, { nonRetryable: true });
  }
  count(activity, 'succeeded', name);
  return stored;
}
