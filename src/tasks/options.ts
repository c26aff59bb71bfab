/**
 * Celery's task and calling options, and their translation into what Temporal runs.
 * Pure: imported by the client, the worker and workflow code alike.
 */

/** Options fixed when a task is defined (Celery's `@app.task(...)` arguments). */
export interface TaskOptions {
  /** Names of the positional parameters, so that kwargs can bind by name as in Python. */
  params?: string[];
  /** Activity task queue that runs the task (Celery's `queue`); default `celery`. */
  queue?: string;
  /** Hard time limit in seconds: the task fails with TimeLimitExceeded. */
  timeLimit?: number;
  /** Soft time limit in seconds: the task's abort signal fires and it may clean up. */
  softTimeLimit?: number;
  /** How long to wait before the next attempt after a worker was lost, in seconds. */
  defaultRetryDelay?: number;
}

/** Options given for one call (Celery's `apply_async(...)` arguments), in camelCase. */
export interface CallOptions {
  taskId?: string;
  /** Seconds to wait before the task may start. */
  countdown?: number;
  /** Earliest start time (ISO 8601 or Date). */
  eta?: string | Date;
  /** The task is revoked if it has not started by then: a time, or seconds from now. */
  expires?: string | Date | number;
  queue?: string;
  timeLimit?: number;
  softTimeLimit?: number;
}

export const DEFAULT_QUEUE = 'celery';
/** Without a time limit a task may run this long; its worker's liveness is watched by heartbeat. */
export const DEFAULT_TIME_LIMIT_S = 24 * 60 * 60;
/** A worker that has not heartbeated for this long is taken as lost and the task runs again. */
export const HEARTBEAT_TIMEOUT_S = 20;

/**
 * Everything the task workflow needs to run the task's activity. Plain JSON, so it is
 * readable in the workflow's input in the Temporal UI.
 */
export interface ActivityPlan {
  queue: string;
  timeLimitS: number;
  softTimeLimitS?: number;
  heartbeatTimeoutS: number;
  retryDelayS: number;
  /** ISO time after which a task that has not started is revoked as expired. */
  expires?: string;
}

/** Merges definition and call options into the plan (call options win, as in Celery). */
export function planActivity(task: TaskOptions, call: CallOptions, now: Date): ActivityPlan {
  const expires = resolveExpires(call.expires, now);
  const plan: ActivityPlan = {
    queue: call.queue ?? task.queue ?? DEFAULT_QUEUE,
    timeLimitS: call.timeLimit ?? task.timeLimit ?? DEFAULT_TIME_LIMIT_S,
    heartbeatTimeoutS: HEARTBEAT_TIMEOUT_S,
    retryDelayS: task.defaultRetryDelay ?? 1,
  };
  const soft = call.softTimeLimit ?? task.softTimeLimit;
  if (soft !== undefined) plan.softTimeLimitS = soft;
  if (expires) plan.expires = expires.toISOString();
  return plan;
}

/** Start delay in milliseconds from `countdown` or `eta`; 0 when the task may start now. */
export function startDelayMs(call: CallOptions, now: Date): number {
  if (call.countdown !== undefined) return Math.max(0, Math.round(call.countdown * 1000));
  if (call.eta !== undefined) return Math.max(0, new Date(call.eta).getTime() - now.getTime());
  return 0;
}

function resolveExpires(expires: CallOptions['expires'], now: Date): Date | undefined {
  if (expires === undefined) return undefined;
  if (typeof expires === 'number') return new Date(now.getTime() + expires * 1000);
  return new Date(expires);
}
