import { deriveState } from '../../src/client/state.js';

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
