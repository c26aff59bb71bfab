/**
 * Celery's task states, derived from what Temporal knows of a task's workflow and its
 * activity. Pure: the client gathers the facts, this decides what they mean.
 */
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { TASK_REVOKED_ERROR, TIME_LIMIT_EXCEEDED, type RevokeReason } from '../tasks/errors.js';

export const READY_STATES = ['SUCCESS', 'FAILURE', 'REVOKED'] as const;
export type ReadyState = (typeof READY_STATES)[number];
/** Celery's states, and custom ones a task reports (e.g. PROGRESS). */
export type TaskState = 'PENDING' | 'STARTED' | 'RETRY' | ReadyState | (string & {});

export interface TaskError {
  type: string;
  message: string;
  traceback: string | null;
}

/** How a task's activity ended, as its workflow's history records it. */
export type ActivityOutcome =
  | { kind: 'completed'; result: unknown }
  | { kind: 'failed'; error: TaskError }
  | { kind: 'cancelled' }
  /** `timeout`: Temporal's timeout type name, e.g. SCHEDULE_TO_START (an expiry), START_TO_CLOSE (the hard time limit). */
  | { kind: 'timedOut'; timeout: string };

/** A task's activity as its workflow's history records it (the task's last attempt). */
export interface ActivityRecord {
  /** Its activity id: the task's or member's id. */
  id: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Called with ignore_result: its value went on to what came next, but is not the task's result. */
  ignoreResult: boolean;
  /** The attempt that last started (from 1); 1 before any started. */
  attempt: number;
  startedTime?: Date;
  closedTime?: Date;
  outcome?: ActivityOutcome;
}

/** What Temporal reports about one task, in plain terms. */
export interface TaskFacts {
  /** The workflow of a task run alone; a canvas member has none of its own (its activity decides). */
  workflowStatus?: WorkflowExecutionStatusName;
  /** The task's activity while the workflow waits on it. */
  pendingActivity?: {
    state: 'SCHEDULED' | 'STARTED' | 'CANCEL_REQUESTED';
    attempt: number;
    lastFailure?: TaskError;
    /** The custom state the running task last reported. */
    progress?: { state: string; meta: unknown };
    /** When a retry's next attempt starts. */
    nextAttemptTime?: Date;
    lastStartedTime?: Date;
  };
  /** The task's activity as recorded in the history, once scheduled. */
  activity?: ActivityRecord;
  /** The failure the workflow ended with, with its details (e.g. a revoke reason). */
  failure?: TaskError & { details?: unknown[] };
}

/** A task's state with its metadata: the same derivation for a task run alone and a canvas member. */
export interface TaskMetadata extends DerivedState {
  /** Attempts made before the current or last one. */
  retries: number;
  /** When a RETRY task's next attempt starts. */
  eta: Date | null;
  dateStarted: Date | null;
  /** When its activity ended (a task alone ends with its workflow: the caller knows when). */
  dateDone: Date | null;
}

export interface DerivedState {
  state: TaskState;
  error: TaskError | null;
  /** The meta of a custom state. */
  meta?: unknown;
  /** Why a REVOKED task was revoked. */
  reason?: RevokeReason;
}

export function isReady(state: TaskState): boolean {
  return (READY_STATES as readonly string[]).includes(state);
}

/** A task's state and metadata from its workflow's status (alone) or its activity's facts (a member). */
export function deriveTask(facts: TaskFacts): TaskMetadata {
  const { activity } = facts;
  // A description read before the activity closed in the history read since is out of date.
  const pending = activity?.outcome ? undefined : facts.pendingActivity;
  const derived = facts.workflowStatus ? deriveState(facts) : activityState(facts);
  return {
    ...derived,
    retries: Math.max(0, (pending?.attempt ?? activity?.attempt ?? 1) - 1),
    eta: derived.state === 'RETRY' ? (pending?.nextAttemptTime ?? null) : null,
    dateStarted: pending?.lastStartedTime ?? activity?.startedTime ?? null,
    dateDone: activity?.closedTime ?? null,
  };
}

/** A member's state: its activity's, which its canvas's workflow awaits. */
function activityState({ pendingActivity, activity }: TaskFacts): DerivedState {
  const outcome = activity?.outcome;
  if (!outcome) return runningState(pendingActivity);
  switch (outcome.kind) {
    case 'completed':
      return { state: 'SUCCESS', error: null };
    case 'failed':
      return { state: 'FAILURE', error: outcome.error };
    case 'cancelled':
      return { state: 'REVOKED', error: null, reason: 'revoked' };
    case 'timedOut':
      // Schedule-to-start is `expires`; start-to-close the hard time limit (workflows/task.ts).
      if (outcome.timeout === 'SCHEDULE_TO_START') return { state: 'REVOKED', error: null, reason: 'expired' };
      return { state: 'FAILURE', error: { type: TIME_LIMIT_EXCEEDED, message: 'task exceeded its hard time limit', traceback: null } };
  }
}

export function deriveState(facts: TaskFacts): DerivedState {
  switch (facts.workflowStatus) {
    case 'COMPLETED':
      return { state: 'SUCCESS', error: null };
    case 'CANCELLED':
      return { state: 'REVOKED', error: null, reason: 'revoked' };
    case 'TERMINATED':
      return { state: 'REVOKED', error: null, reason: 'terminated' };
    case 'FAILED':
    case 'TIMED_OUT': {
      const failure = facts.failure ?? { type: 'WorkflowTimeout', message: 'the task timed out', traceback: null };
      if (failure.type === TASK_REVOKED_ERROR) return { state: 'REVOKED', error: null, reason: revokeReason(failure.details) };
      return { state: 'FAILURE', error: { type: failure.type, message: failure.message, traceback: failure.traceback } };
    }
    default:
      return runningState(facts.pendingActivity);
  }
}

function runningState(activity: TaskFacts['pendingActivity']): DerivedState {
  if (!activity) return { state: 'PENDING', error: null };
  if (activity.state === 'SCHEDULED') {
    // A scheduled activity past its first attempt is waiting for its retry.
    return activity.attempt > 1 && activity.lastFailure
      ? { state: 'RETRY', error: activity.lastFailure }
      : { state: 'PENDING', error: null };
  }
  if (activity.progress) return { state: activity.progress.state, error: null, meta: activity.progress.meta };
  return { state: 'STARTED', error: null };
}

function revokeReason(details: unknown[] | undefined): RevokeReason {
  const reason = (details?.[0] as { reason?: unknown } | undefined)?.reason;
  return reason === 'expired' || reason === 'terminated' ? reason : 'revoked';
}
