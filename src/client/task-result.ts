/** What the client answers for a task or a canvas member (Celery's AsyncResult, with its metadata). */
import type { RevokeReason } from '../tasks/errors.js';
import { isTooLarge, tooLargeFailure } from '../temporal/payload-marker.js';
import type { DerivedState, TaskError, TaskState } from './state.js';

/** Everything known about one task (Celery's AsyncResult, with its metadata). */
export interface TaskResult {
  id: string;
  /** The Temporal run that carries the task. */
  runId: string | null;
  task: string;
  state: TaskState;
  result: unknown;
  error: TaskError | null;
  /** Why a REVOKED task was revoked: revoked, expired or terminated. */
  reason: RevokeReason | null;
  meta: unknown;
  args: unknown[];
  kwargs: Record<string, unknown>;
  retries: number;
  queue: string;
  dateSubmitted: Date;
  /** When a PENDING task may start (countdown, eta), or when a RETRY task's next attempt starts. */
  eta: Date | null;
  dateStarted: Date | null;
  dateDone: Date | null;
  parentId: string | null;
  children: TaskResult[];
}

export function emptyResult(id: string, task: string, queue: string, submitted: Date): TaskResult {
  return {
    id, runId: null, task, queue,
    state: 'PENDING', result: null, error: null, reason: null, meta: null,
    args: [], kwargs: {}, retries: 0,
    dateSubmitted: submitted, eta: null, dateStarted: null, dateDone: null,
    parentId: null, children: [],
  };
}

/**
 * A workflow or activity completed, but the codec stood in for its result, over the payload
 * limit: the task failed, as it would have had its workflow known the size.
 */
export function tooLargeState(what: string, result: unknown, advice: string): DerivedState | undefined {
  if (!isTooLarge(result)) return undefined;
  const failure = tooLargeFailure(what, result, advice);
  return { state: 'FAILURE', error: { type: failure.type!, message: failure.message, traceback: null } };
}
