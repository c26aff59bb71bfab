/**
 * How a canvas member's failure travels up its tree: as a MemberFailure carrying the error to
 * report and the task members that failed (link_error callbacks run once for each).
 */
import { ApplicationFailure, CancelledFailure, ChildWorkflowFailure, isCancellation } from '@temporalio/workflow';
import { PARTITION_FAILURE } from '../src/canvas/partition.js';
import type { MemberState } from './members.js';

/** A task member that failed, as link_error callbacks are told. */
export interface FailedMember {
  id: string;
  error: MemberState['error'];
}

/** A member failed: the error to report, and the task members that failed. */
export class MemberFailure extends Error {
  constructor(readonly failure: ApplicationFailure, readonly failed: FailedMember[]) {
    super(failure.message);
  }

  /** The failure of one task member. */
  static of(failure: ApplicationFailure, id: string): MemberFailure {
    return new MemberFailure(failure, [{ id, error: errorOf(failure) }]);
  }
}

/** A task member's failure as a MemberFailure; cancellation (revoke) stays as it is. */
export function asMemberFailure(err: unknown, id: string): MemberFailure | undefined {
  if (err instanceof MemberFailure) return err;
  if (isCancellation(err) || err instanceof CancelledFailure) return undefined;
  const reported = err instanceof ChildWorkflowFailure ? err.cause : undefined;
  if (reported instanceof ApplicationFailure && reported.type === PARTITION_FAILURE) {
    return new MemberFailure(reported.cause as ApplicationFailure, reported.details![0] as FailedMember[]);
  }
  // A partition that failed on its own (its input over the payload limit): the partition failed.
  if (reported instanceof ApplicationFailure) return MemberFailure.of(reported, id);
  if (err instanceof ApplicationFailure) return MemberFailure.of(err, id);
  return MemberFailure.of(ApplicationFailure.nonRetryable(String((err as Error)?.message ?? err), 'Error'), id);
}

export function errorOf(failure: ApplicationFailure): MemberState['error'] {
  return { type: failure.type ?? 'Error', message: failure.message, traceback: failure.stack ?? null };
}
