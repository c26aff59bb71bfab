import type { RetryRule } from '../../src/tasks/options.js';
import { autoretryDelayS, decideRetry, errorTypes, MaxRetriesExceededError, Retry } from '../../src/tasks/retry.js';

const rule: RetryRule = {
  maxRetries: 3, defaultRetryDelayS: 180, autoretryFor: [], dontAutoretryFor: [],
  retryBackoff: 0, retryBackoffMaxS: 600, retryJitter: true,
};
const call = () => 'add[1]';
class NetworkError extends Error {}
class TimeoutError extends NetworkError {}

describe('decideRetry', () => {
  test("a task's error is final unless autoretry_for names it (Celery's default)", () => {
    const error = new NetworkError('down');
    expect(decideRetry(error, rule, 0, call)).toEqual({ retry: false, error });
  });

  test('autoretry_for matches the class or an ancestor; dont_autoretry_for wins', () => {
    const withAuto = { ...rule, autoretryFor: ['NetworkError'] };
    expect(decideRetry(new TimeoutError('slow'), withAuto, 0, call)).toMatchObject({ retry: true, delayS: 180 });
    expect(decideRetry(new TimeoutError('slow'), { ...withAuto, dontAutoretryFor: ['TimeoutError'] }, 0, call).retry).toBe(false);
    expect(decideRetry(new Error('x'), { ...rule, autoretryFor: ['Error'] }, 0, call).retry).toBe(true);
  });

  test('autoretry stops at max_retries with the original error; null retries for ever', () => {
    const error = new NetworkError('down');
    const withAuto = { ...rule, autoretryFor: ['NetworkError'] };
    expect(decideRetry(error, withAuto, 2, call).retry).toBe(true);
    expect(decideRetry(error, withAuto, 3, call)).toEqual({ retry: false, error });
    expect(decideRetry(error, { ...withAuto, maxRetries: null }, 1000, call).retry).toBe(true);
  });

  test('retry(): countdown or the default delay; past max_retries, exc or MaxRetriesExceededError', () => {
    expect(decideRetry(new Retry({ countdown: 5 }), rule, 0, call)).toMatchObject({ retry: true, delayS: 5 });
    expect(decideRetry(new Retry({}), rule, 0, call)).toMatchObject({ retry: true, delayS: 180 });
    const exc = new NetworkError('gave up');
    expect(decideRetry(new Retry({ exc }), rule, 3, call)).toEqual({ retry: false, error: exc });
    const exceeded = decideRetry(new Retry({}), rule, 3, call);
    expect(exceeded.retry).toBe(false);
    expect(exceeded.error).toBeInstanceOf(MaxRetriesExceededError);
    expect(exceeded.error.message).toContain("Can't retry add[1]");
    expect(decideRetry(new Retry({ maxRetries: 10 }), rule, 3, call).retry).toBe(true);
  });
});

test("backoff is Celery's: min(max, factor * 2**retries), with full jitter", () => {
  const backoff = { ...rule, retryBackoff: 1, retryJitter: false };
  expect([0, 1, 2, 3, 10].map((r) => autoretryDelayS(backoff, r))).toEqual([1, 2, 4, 8, 600]);
  expect(autoretryDelayS({ ...backoff, retryBackoffMaxS: 5 }, 3)).toBe(5);
  expect(autoretryDelayS({ ...backoff, retryJitter: true }, 3, () => 0.5)).toBe(4);
  expect(autoretryDelayS(rule, 3)).toBe(180);
});

test('errorTypes lists the class and its ancestors', () => {
  expect(errorTypes(new TimeoutError('x'))).toEqual(expect.arrayContaining(['Error', 'NetworkError', 'TimeoutError']));
});
