import { DEFAULT_QUEUE, DEFAULT_TIME_LIMIT_S, planActivity, startDelayMs } from '../../src/tasks/options.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('planActivity', () => {
  test('defaults: queue celery, no expiry, a generous time limit', () => {
    const plan = planActivity({}, {}, now);
    expect(plan).toMatchObject({ queue: DEFAULT_QUEUE, timeLimitS: DEFAULT_TIME_LIMIT_S });
    expect(plan.expires).toBeUndefined();
  });

  test('call options win over the task definition, as in Celery', () => {
    const plan = planActivity({ queue: 'images', timeLimit: 10 }, { queue: 'urgent', timeLimit: 5 }, now);
    expect(plan).toMatchObject({ queue: 'urgent', timeLimitS: 5 });
    expect(planActivity({ queue: 'images' }, {}, now).queue).toBe('images');
  });

  test('expires is a time, or seconds from now', () => {
    expect(planActivity({}, { expires: 60 }, now).expires).toBe('2026-01-01T00:01:00.000Z');
    expect(planActivity({}, { expires: '2026-01-02T00:00:00Z' }, now).expires).toBe('2026-01-02T00:00:00.000Z');
  });
});

describe('startDelayMs', () => {
  test('countdown in seconds, eta as a time, never negative', () => {
    expect(startDelayMs({}, now)).toBe(0);
    expect(startDelayMs({ countdown: 1.5 }, now)).toBe(1500);
    expect(startDelayMs({ eta: '2026-01-01T00:00:10Z' }, now)).toBe(10_000);
    expect(startDelayMs({ eta: '2025-12-31T00:00:00Z' }, now)).toBe(0);
  });
});
