/**
 * Celery's task and calling options, and their translation into what Temporal runs.
 * Pure: imported by the client, the worker and workflow code alike.
 */

/** Options fixed when a task is defined (Celery's `@app.task(...)` arguments), in camelCase. */
export interface TaskOptions {
  /** Names of the positional parameters, so that kwargs can bind by name as in Python. */
  params?: string[];
  /** Queue that runs the task (Celery's `queue`); default `celery`. */
  queue?: string;
  /** 0 (first) to 9 (last), as on Celery's Redis transport; mapped onto Temporal's priority key. */
  priority?: number;
  /** Retries allowed for the task's own errors; `null` retries for ever. Celery's default: 3. */
  maxRetries?: number | null;
  /** Seconds before a retry that names no countdown. Celery's default: 180. */
  defaultRetryDelay?: number;
  /** Error type names (or a parent class's name, e.g. `Error`) retried automatically. */
  autoretryFor?: string[];
  /** Error type names never retried automatically, even when `autoretryFor` matches. */
  dontAutoretryFor?: string[];
  /** Exponential backoff for automatic retries: `true` (factor 1) or the factor in seconds. */
  retryBackoff?: boolean | number;
  /** Upper bound of the backoff, in seconds. Celery's default: 600. */
  retryBackoffMax?: number;
  /** Full jitter on the backoff (a random delay up to it). Celery's default: true. */
  retryJitter?: boolean;
  /** Hard time limit in seconds: the attempt fails with TimeLimitExceeded. */
  timeLimit?: number;
  /** Soft time limit in seconds: the task's signal fires with SoftTimeLimitExceeded. */
  softTimeLimit?: number;
  /** `"10/s"`, `"100/m"`, `"1000/h"` (or a number per second), enforced across all workers. */
  rateLimit?: string | number;
  /** Default `expires` for calls, in seconds. */
  expires?: number;
  /** Do not keep the task's return value. */
  ignoreResult?: boolean;
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
  priority?: number;
  maxRetries?: number | null;
  timeLimit?: number;
  softTimeLimit?: number;
  ignoreResult?: boolean;
  /** Custom message headers, readable by the task (Celery's `headers`). */
  headers?: Record<string, unknown>;
}

/** Call options from Celery's snake_case names, as a signature dict or POST /tasks carries them. */
export function callOptionsFromCelery(options: Record<string, unknown>): CallOptions {
  const o = options as Record<string, never>;
  return {
    taskId: o.task_id,
    countdown: o.countdown,
    eta: o.eta,
    expires: o.expires,
    queue: o.queue,
    priority: o.priority,
    maxRetries: o.max_retries,
    timeLimit: o.time_limit,
    softTimeLimit: o.soft_time_limit,
    ignoreResult: o.ignore_result,
    headers: o.headers,
  };
}

export const DEFAULT_QUEUE = 'celery';
/** Celery's defaults. */
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_S = 180;
export const DEFAULT_RETRY_BACKOFF_MAX_S = 600;
/** Without a time limit a task may run this long; its worker's liveness is watched by heartbeat. */
export const DEFAULT_TIME_LIMIT_S = 24 * 60 * 60;
/** A worker that has not heartbeated for this long is taken as lost and the task runs again. */
export const HEARTBEAT_TIMEOUT_S = 20;

/** Celery's rule for retrying a task's own errors; the worker applies it after each attempt. */
export interface RetryRule {
  maxRetries: number | null;
  defaultRetryDelayS: number;
  autoretryFor: string[];
  dontAutoretryFor: string[];
  /** Backoff factor in seconds; 0 means no backoff. */
  retryBackoff: number;
  retryBackoffMaxS: number;
  retryJitter: boolean;
}

/**
 * Everything needed to run one call of a task: the workflow schedules its activity with it
 * and the worker applies its retry rule. Plain JSON, readable in the Temporal UI.
 */
export interface ActivityPlan {
  /** The Celery queue. */
  queue: string;
  /** The Temporal task queue polled for it (its own for a rate-limited task). */
  taskQueue: string;
  priorityKey?: number;
  timeLimitS: number;
  softTimeLimitS?: number;
  heartbeatTimeoutS: number;
  /** ISO time after which a task that has not started is revoked as expired. */
  expires?: string;
  /** Or seconds after its workflow started, so that each scheduled run counts from its own start. */
  expiresAfterS?: number;
  retry: RetryRule;
  ignoreResult: boolean;
  headers: Record<string, unknown>;
}

export class InvalidTaskOptionsError extends Error {
  override name = 'InvalidTaskOptionsError';
}

/** Merges definition and call options into the plan (call options win, as in Celery). */
export function planActivity(name: string, task: TaskOptions, call: CallOptions, now: Date): ActivityPlan {
  const timeLimit = call.timeLimit ?? task.timeLimit;
  const softTimeLimit = call.softTimeLimit ?? task.softTimeLimit;
  if (timeLimit !== undefined && softTimeLimit !== undefined && softTimeLimit >= timeLimit) {
    throw new InvalidTaskOptionsError(
      `soft_time_limit (${softTimeLimit}) must be less than time_limit (${timeLimit})`,
    );
  }
  const queue = call.queue ?? task.queue ?? DEFAULT_QUEUE;
  const expires = call.expires ?? task.expires;
  const priority = call.priority ?? task.priority;
  const backoff = task.retryBackoff === true ? 1 : task.retryBackoff || 0;
  const plan: ActivityPlan = {
    queue,
    taskQueue: task.rateLimit === undefined ? queue : rateLimitedQueue(queue, name),
    timeLimitS: timeLimit ?? DEFAULT_TIME_LIMIT_S,
    heartbeatTimeoutS: HEARTBEAT_TIMEOUT_S,
    retry: {
      maxRetries: call.maxRetries !== undefined ? call.maxRetries : (task.maxRetries !== undefined ? task.maxRetries : DEFAULT_MAX_RETRIES),
      defaultRetryDelayS: task.defaultRetryDelay ?? DEFAULT_RETRY_DELAY_S,
      autoretryFor: task.autoretryFor ?? [],
      dontAutoretryFor: task.dontAutoretryFor ?? [],
      retryBackoff: backoff,
      retryBackoffMaxS: task.retryBackoffMax ?? DEFAULT_RETRY_BACKOFF_MAX_S,
      retryJitter: task.retryJitter ?? true,
    },
    ignoreResult: call.ignoreResult ?? task.ignoreResult ?? false,
    headers: call.headers ?? {},
  };
  if (priority !== undefined) plan.priorityKey = priorityKey(priority);
  if (softTimeLimit !== undefined) plan.softTimeLimitS = softTimeLimit;
  if (typeof expires === 'number') plan.expiresAfterS = expires;
  else if (expires !== undefined) plan.expires = new Date(expires).toISOString();
  return plan;
}

/** The plan with `expires` in seconds turned into a time, counted from `start`. */
export function anchorExpiry(plan: ActivityPlan, start: Date): ActivityPlan {
  if (plan.expiresAfterS === undefined) return plan;
  const { expiresAfterS, ...anchored } = plan;
  return { ...anchored, expires: new Date(start.getTime() + expiresAfterS * 1000).toISOString() };
}

/** Start delay in milliseconds from `countdown` or `eta`; 0 when the task may start now. */
export function startDelayMs(call: CallOptions, now: Date): number {
  if (call.countdown !== undefined) return Math.max(0, Math.round(call.countdown * 1000));
  if (call.eta !== undefined) return Math.max(0, new Date(call.eta).getTime() - now.getTime());
  return 0;
}

/** Celery priority 0 (first) .. 9 (last) onto Temporal's default keys 1 (first) .. 5 (last). */
export function priorityKey(priority: number): number {
  return 1 + Math.floor(Math.min(9, Math.max(0, priority)) / 2);
}

/**
 * A rate-limited task gets a Temporal task queue of its own, so that the server can enforce
 * its rate across every worker that polls it.
 */
export function rateLimitedQueue(queue: string, task: string): string {
  return `${queue}@${task}`;
}

/** Celery's rate limit string as tasks per second. */
export function parseRateLimit(rateLimit: string | number): number {
  if (typeof rateLimit === 'number') {
    if (rateLimit > 0 && Number.isFinite(rateLimit)) return rateLimit;
  } else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([smh]))?\s*$/.exec(rateLimit);
    if (match && Number(match[1]) > 0) return Number(match[1]) / { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
  }
  throw new InvalidTaskOptionsError(`rate_limit must look like "10/s", "100/m" or "1000/h", got ${JSON.stringify(rateLimit)}`);
}

/** Checks a task's definition options once, when it is defined. */
export function validateTaskOptions(name: string, options: TaskOptions): void {
  if (options.rateLimit !== undefined) parseRateLimit(options.rateLimit);
  if (options.timeLimit !== undefined && options.softTimeLimit !== undefined && options.softTimeLimit >= options.timeLimit) {
    throw new InvalidTaskOptionsError(`task ${name}: soft_time_limit must be less than time_limit`);
  }
}
