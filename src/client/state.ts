/**
 * Celery's task states, derived from what Temporal knows of a task's workflow and its
 * activity. Pure: the client gathers the facts, this decides what they mean.
 */
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { TASK_REVOKED_ERROR, type RevokeReason } from '../tasks/errors.js';

export const READY_STATES = ['SUCCESS', 'FAILURE', 'REVOKED'] as const;
export type ReadyState = (typeof READY_STATES)[number];
/** Celery's states, and custom ones a task reports (e.g. PROGRESS). */
export type TaskState = 'PENDING' | 'STARTED' | 'RETRY' | ReadyState | (string & {});

export interface TaskError {
  type: string;
  message: string;
  traceback: string | null;
}

/** What Temporal reports about one task, in plain terms. */
export interface TaskFacts {
  workflowStatus: WorkflowExecutionStatusName;
  /** The task's activity while the workflow waits on it. */
  pendingActivity?: {
    state: 'SCHEDULED' | 'STARTED' | 'CANCEL_REQUESTED';
    attempt: number;
    lastFailure?: TaskError;
    /** The custom state the running task last reported. */
    progress?: { state: string; meta: unknown };
  };
  /** The failure the workflow ended with, with its details (e.g. a revoke reason). */
  failure?: TaskError & { details?: unknown[] };
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
