import {
  anchorExpiry, DEFAULT_QUEUE, DEFAULT_TIME_LIMIT_S, InvalidTaskOptionsError, parseRateLimit, planActivity, priorityKey, startDelayMs,
} from '../../src/tasks/options.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('planActivity', () => {
  test("Celery's defaults: queue celery, max_retries 3, retry delay 180s, backoff off, jitter on", () => {
    const plan = planActivity('add', {}, {}, now);
    expect(plan).toMatchObject({ queue: DEFAULT_QUEUE, taskQueue: DEFAULT_QUEUE, timeLimitS: DEFAULT_TIME_LIMIT_S, ignoreResult: false });
    expect(plan.retry).toEqual({
      maxRetries: 3, defaultRetryDelayS: 180, autoretryFor: [], dontAutoretryFor: [],
      retryBackoff: 0, retryBackoffMaxS: 600, retryJitter: true,
    });
    expect(plan.expires).toBeUndefined();
    expect(plan.priorityKey).toBeUndefined();
  });

  test('call options win over the task definition, as in Celery', () => {
    const plan = planActivity('add', { queue: 'images', timeLimit: 10, maxRetries: 5 }, { queue: 'urgent', timeLimit: 5, maxRetries: null }, now);
    expect(plan).toMatchObject({ queue: 'urgent', timeLimitS: 5 });
    expect(plan.retry.maxRetries).toBeNull();
    expect(planActivity('add', { queue: 'images' }, {}, now).queue).toBe('images');
  });

  test('retry_backoff true is factor 1', () => {
    expect(planActivity('t', { retryBackoff: true }, {}, now).retry.retryBackoff).toBe(1);
    expect(planActivity('t', { retryBackoff: 3 }, {}, now).retry.retryBackoff).toBe(3);
  });

  test('a rate-limited task gets its own Temporal task queue; its Celery queue stays', () => {
    const plan = planActivity('limited', { rateLimit: '10/s' }, { queue: 'q' }, now);
    expect(plan).toMatchObject({ queue: 'q', taskQueue: 'q@limited' });
  });

  test('a soft time limit not below the hard one is refused, as in Celery', () => {
    expect(() => planActivity('t', { timeLimit: 5 }, { softTimeLimit: 5 }, now)).toThrow(InvalidTaskOptionsError);
    expect(() => planActivity('t', {}, { timeLimit: 2, softTimeLimit: 3 }, now)).toThrow(/soft_time_limit \(3\) must be less than time_limit \(2\)/);
    expect(planActivity('t', { timeLimit: 5 }, { softTimeLimit: 4 }, now).softTimeLimitS).toBe(4);
  });

  test('expires is a time, or seconds after the task was sent; a task may give a default', () => {
    expect(planActivity('t', {}, { expires: 60 }, now)).toMatchObject({ expiresAfterS: 60 });
    expect(planActivity('t', {}, { expires: '2026-01-02T00:00:00Z' }, now).expires).toBe('2026-01-02T00:00:00.000Z');
    expect(planActivity('t', { expires: 10 }, {}, now)).toMatchObject({ expiresAfterS: 10 });
    // A canvas's partitions start later: they get the time counted from the canvas's start.
    const anchored = anchorExpiry(planActivity('t', {}, { expires: 60 }, now), now);
    expect(anchored.expires).toBe('2026-01-01T00:01:00.000Z');
    expect(anchored).not.toHaveProperty('expiresAfterS');
  });

  test('headers and ignore_result travel with the call', () => {
    expect(planActivity('t', { ignoreResult: true }, { headers: { a: 1 } }, now)).toMatchObject({ ignoreResult: true, headers: { a: 1 } });
  });
});

test('priority 0 (first) .. 9 (last) maps onto Temporal keys 1 .. 5', () => {
  expect([0, 1, 2, 4, 5, 8, 9].map(priorityKey)).toEqual([1, 1, 2, 3, 3, 5, 5]);
});

test('rate limits in Celery notation', () => {
  expect(parseRateLimit('10/s')).toBe(10);
  expect(parseRateLimit('120/m')).toBe(2);
  expect(parseRateLimit('3600/h')).toBe(1);
  expect(parseRateLimit('5')).toBe(5);
  expect(parseRateLimit(2.5)).toBe(2.5);
  for (const bad of ['10/d', 'fast', '0/s', -1]) expect(() => parseRateLimit(bad)).toThrow(InvalidTaskOptionsError);
});

describe('startDelayMs', () => {
  test('countdown in seconds, eta as a time, never negative', () => {
    expect(startDelayMs({}, now)).toBe(0);
    expect(startDelayMs({ countdown: 1.5 }, now)).toBe(1500);
    expect(startDelayMs({ eta: '2026-01-01T00:00:10Z' }, now)).toBe(10_000);
    expect(startDelayMs({ eta: '2025-12-31T00:00:00Z' }, now)).toBe(0);
  });
});
