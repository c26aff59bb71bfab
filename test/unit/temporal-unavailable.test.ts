/** Which Temporal errors the API answers with 503 and Retry-After (see src/api/errors.ts). */
import { ServiceError } from '@temporalio/client';
import { isTemporalUnavailable } from '../../src/temporal/connection.js';

function grpcError(code: number): Error {
  return Object.assign(new Error(`${code} status`), { code, details: 'status', metadata: {} });
}

test.each([
  ['UNAVAILABLE', 14],
  ['DEADLINE_EXCEEDED', 4],
  ['RESOURCE_EXHAUSTED', 8],
])('%s, bare or as the cause of the SDK\'s ServiceError, means "try later"', (_, code) => {
  expect(isTemporalUnavailable(grpcError(code))).toBe(true);
  expect(isTemporalUnavailable(new ServiceError('Failed to start Workflow', { cause: grpcError(code) }))).toBe(true);
});

test.each([
  ['NOT_FOUND', 5],
  ['INVALID_ARGUMENT', 3],
  ['INTERNAL', 13],
])('%s is not', (_, code) => {
  expect(isTemporalUnavailable(new ServiceError('Failed', { cause: grpcError(code) }))).toBe(false);
});

test('nor is an error that is not gRPC\'s', () => {
  expect(isTemporalUnavailable(new Error('boom'))).toBe(false);
  expect(isTemporalUnavailable(Object.assign(new Error('x'), { code: 14 }))).toBe(false);
  expect(isTemporalUnavailable(undefined)).toBe(false);
});
