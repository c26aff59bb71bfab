import { deriveState, deriveTask, type ActivityRecord } from '../../src/client/state.js';

const boom = { type: 'ExpectedError', message: 'boom', traceback: 'ExpectedError: boom\n    at ...' };

describe('deriveState', () => {
  test('a running workflow: PENDING until its activity starts, then STARTED', () => {
    expect(deriveState({ workflowStatus: 'RUNNING' }).state).toBe('PENDING');
    expect(deriveState({ workflowStatus: 'RUNNING', pendingActivity: { state: 'SCHEDULED', attempt: 1 } }).state).toBe('PENDING');
    expect(deriveState({ workflowStatus: 'RUNNING', pendingActivity: { state: 'STARTED', attempt: 1 } }).state).toBe('STARTED');
  });

  test('a scheduled activity after a failed attempt is RETRY, with the error that caused it', () => {
    const derived = deriveState({ workflowStatus: 'RUNNING', pendingActivity: { state: 'SCHEDULED', attempt: 2, lastFailure: boom } });
    expect(derived).toEqual({ state: 'RETRY', error: boom });
  });

  test('closed workflows', () => {
    expect(deriveState({ workflowStatus: 'COMPLETED' })).toEqual({ state: 'SUCCESS', error: null });
    expect(deriveState({ workflowStatus: 'FAILED', failure: boom })).toEqual({ state: 'FAILURE', error: boom });
    expect(deriveState({ workflowStatus: 'CANCELLED' })).toMatchObject({ state: 'REVOKED', reason: 'revoked' });
    expect(deriveState({ workflowStatus: 'TERMINATED' })).toMatchObject({ state: 'REVOKED', reason: 'terminated' });
  });

  test('a TaskRevokedError failure is REVOKED with its reason', () => {
    const failure = { type: 'TaskRevokedError', message: 'task expired', traceback: null, details: [{ reason: 'expired' }] };
    expect(deriveState({ workflowStatus: 'FAILED', failure })).toEqual({ state: 'REVOKED', error: null, reason: 'expired' });
  });
});

describe('deriveTask: a task alone and a canvas member, from the same facts', () => {
  const started = new Date('2026-01-01T00:00:01Z');
  const closed = new Date('2026-01-01T00:00:02Z');
  const activity = (outcome: ActivityRecord['outcome'], attempt = 1): ActivityRecord => ({ id: 'c~1', args: [], kwargs: {}, ignoreResult: false, attempt, startedTime: started, closedTime: closed, outcome });

  test("a member's state is its activity's outcome", () => {
    expect(deriveTask({ activity: activity({ kind: 'completed', result: 1 }) })).toMatchObject({ state: 'SUCCESS', dateStarted: started, dateDone: closed });
    expect(deriveTask({ activity: activity({ kind: 'failed', error: boom }) })).toMatchObject({ state: 'FAILURE', error: boom });
    expect(deriveTask({ activity: activity({ kind: 'cancelled' }) })).toMatchObject({ state: 'REVOKED', reason: 'revoked' });
    expect(deriveTask({ activity: activity({ kind: 'timedOut', timeout: 'SCHEDULE_TO_START' }) })).toMatchObject({ state: 'REVOKED', reason: 'expired' });
    expect(deriveTask({ activity: activity({ kind: 'timedOut', timeout: 'START_TO_CLOSE' }) })).toMatchObject({ state: 'FAILURE', error: { type: 'TimeLimitExceeded' } });
  });

  test('retries count the attempts before the last, finished or pending; eta is the next attempt of a RETRY', () => {
    expect(deriveTask({ workflowStatus: 'COMPLETED', activity: activity({ kind: 'completed', result: 3 }, 3) }).retries).toBe(2);
    expect(deriveTask({ activity: activity({ kind: 'completed', result: 3 }, 3) }).retries).toBe(2);
    const next = new Date('2026-01-01T00:00:05Z');
    const pendingActivity = { state: 'SCHEDULED' as const, attempt: 2, lastFailure: boom, nextAttemptTime: next };
    expect(deriveTask({ workflowStatus: 'RUNNING', pendingActivity })).toMatchObject({ state: 'RETRY', retries: 1, eta: next, error: boom });
    expect(deriveTask({ pendingActivity })).toMatchObject({ state: 'RETRY', retries: 1, eta: next, error: boom });
  });

  test('a closed activity wins over a pending one described before it closed', () => {
    const stale = { state: 'STARTED' as const, attempt: 1, lastStartedTime: new Date('2026-01-01T00:00:00Z') };
    expect(deriveTask({ activity: activity({ kind: 'failed', error: boom }, 2), pendingActivity: stale })).toMatchObject({ state: 'FAILURE', retries: 1, dateStarted: started });
  });
});
