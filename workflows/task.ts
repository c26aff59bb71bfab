/**
 * The workflow behind every single task: its id is the task id and it runs the task as one
 * activity whose type is the task's name. Deterministic: Date.now() is workflow time.
 */
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  TimeoutFailure,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import type { TaskRequest } from '../src/tasks/define.js';
import {
  PAYLOAD_TOO_LARGE_ERROR, RESULT_TOO_LARGE_ADVICE, TASK_REVOKED_ERROR, TIME_LIMIT_EXCEEDED, type RevokeReason,
} from '../src/tasks/errors.js';
import type { MapCall } from '../src/tasks/map-call.js';
import type { ActivityPlan } from '../src/tasks/options.js';
import { isTooLarge, START_TOO_LARGE_ADVICE, tooLargeFailure } from '../src/temporal/payload-marker.js';

/**
 * The error Temporal's worker fails an activity with when it cannot report the activity's
 * result: over the payload size limit. The task's activity checks its result first (see
 * src/temporal/payload-limit.ts), and Celerity's codec stands in for a result over the limit
 * with a marker; this catches what an activity worker without that codec lets through.
 */
const WORKER_PAYLOADS_TOO_LARGE = 'PayloadsTooLarge';

/** One call of one task: what the task workflow is started with. */
export interface TaskInput {
  task: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  plan: ActivityPlan;
  /** A map's items and task, for the built-in map activities (src/tasks/map.ts). */
  map?: MapCall;
}

/** The workflow of a single task; its id is the task id. */
export async function task(input: TaskInput): Promise<unknown> {
  // Started past the client's check (a schedule's runs): the codec stood in for an input over the limit.
  if (isTooLarge(input)) throw tooLargeFailure(`the input of task ${workflowInfo().workflowId}`, input, START_TOO_LARGE_ADVICE);
  return runTask(workflowInfo().workflowId, input);
}

/**
 * Runs one task as its activity with Celery's semantics (expiry, time limit, revoke), and
 * fails with the task's own error. Every workflow that runs tasks (a single task, a canvas
 * member) runs them through here.
 */
export async function runTask(id: string, input: TaskInput): Promise<unknown> {
  const { plan } = input;
  const expiresAt =
    plan.expires !== undefined
      ? Date.parse(plan.expires)
      : plan.expiresAfterS !== undefined
        ? workflowInfo().startTime.getTime() + plan.expiresAfterS * 1000
        : undefined;
  const expiresInMs = expiresAt === undefined ? undefined : expiresAt - Date.now();
  if (expiresInMs !== undefined && expiresInMs <= 0) throw revoked('expired');
  const activities = proxyActivities<Record<string, (request: TaskRequest) => Promise<unknown>>>({
    taskQueue: plan.taskQueue,
    // The task id names the activity, so a canvas member's activity is found by its id.
    activityId: id,
    startToCloseTimeout: plan.timeLimitS * 1000,
    heartbeatTimeout: plan.heartbeatTimeoutS * 1000,
    // Not started before `expires`: Celery revokes it. Schedule-to-start timeouts are never retried.
    scheduleToStartTimeout: expiresInMs,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    priority: plan.priorityKey === undefined ? undefined : { priorityKey: plan.priorityKey },
    retry: {
      // No attempt limit: the worker decides on the task's own errors (Celery's retry rules,
      // with the delay as nextRetryDelay), so what this policy retries is a lost worker
      // (heartbeat timeout), for as long as it takes. A hard time limit is final, and so is a
      // result too large to store (it would be as large again).
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      nonRetryableErrorTypes: ['TemporalTimeout:StartToClose', WORKER_PAYLOADS_TOO_LARGE],
    },
  });
  let result: unknown;
  try {
    result = await activities[input.task]({ id, args: input.args, kwargs: input.kwargs, plan, ...(input.map ? { map: input.map } : {}) });
  } catch (err) {
    throw taskFailure(err);
  }
  // The codec stood in for a result over the payload limit (the task's own check was skipped).
  if (isTooLarge(result)) throw tooLargeFailure(`the result of ${input.task}`, result, RESULT_TOO_LARGE_ADVICE);
  // A revoked task that finished its cleanup by returning is still revoked.
  if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('revoked');
  return result;
}

/** The failure the workflow ends with: the task's own error, not Temporal's wrapper. */
function taskFailure(err: unknown): unknown {
  if (!(err instanceof ActivityFailure)) return err;
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) {
    if (cause.timeoutType === TimeoutType.SCHEDULE_TO_START) return revoked('expired');
    if (cause.timeoutType === TimeoutType.START_TO_CLOSE) {
      return ApplicationFailure.nonRetryable('task exceeded its hard time limit', TIME_LIMIT_EXCEEDED);
    }
  }
  if (cause instanceof ApplicationFailure && cause.type === WORKER_PAYLOADS_TOO_LARGE) {
    return ApplicationFailure.nonRetryable(
      `the task's result is over Temporal's payload size limit (${cause.message}); ${RESULT_TOO_LARGE_ADVICE}`,
      PAYLOAD_TOO_LARGE_ERROR,
    );
  }
  return cause instanceof ApplicationFailure ? cause : err;
}

function revoked(reason: RevokeReason): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`task ${reason}`, TASK_REVOKED_ERROR, { reason });
}
