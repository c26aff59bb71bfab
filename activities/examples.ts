/** The example app's tasks: the names and behaviours DESIGN.md promises to users and tests. */
import { randomBytes } from 'node:crypto';
import { currentTask, defineTask } from '../src/tasks/index.js';

/** The error `fail` raises, so callers can see a task's own error type. */
export class ExpectedError extends Error {
  override name = 'ExpectedError';
}

export const add = defineTask('add', { params: ['x', 'y'] }, (x: number, y: number) => x + y);
export const mul = defineTask('mul', { params: ['x', 'y'] }, (x: number, y: number) => x * y);
export const subtract = defineTask('subtract', { params: ['x', 'y'] }, (x: number, y: number) => x - y);
export const xsum = defineTask('xsum', { params: ['numbers'] }, (numbers: number[]) =>
  numbers.reduce((total, n) => total + n, 0),
);
export const identity = defineTask('identity', { params: ['x'] }, <T>(x: T) => x);
/** Returns what it was called with, like Celery's `echo(*args, **kwargs)`. */
export const echo = defineTask('echo', {}, (...args: unknown[]) => [args, currentTask().kwargs]);
export const addToAll = defineTask('add_to_all', { params: ['numbers', 'n'] }, (numbers: number[], n: number) =>
  numbers.map((x) => x + n),
);
export const fail = defineTask('fail', { params: ['message'] }, (message = 'failed on purpose') => {
  throw new ExpectedError(message);
});

/** Sleeps, returning early with the revoke if the task is revoked meanwhile. */
/** A link_error callback in Celery's (request, exc, traceback) form: the failed id, its error and traceback. */
export const onError = defineTask(
  'on_error',
  { params: ['task_id', 'error', 'traceback'] },
  (taskId: string, error: { type: string; message: string }, traceback: string | null) =>
    `${taskId} raised ${error.type}: ${error.message}${traceback ? ' (traceback kept)' : ''}`,
);
export const sleep = defineTask('sleep', { params: ['seconds'] }, async (seconds: number) => {
  const { signal } = currentTask();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
  return seconds;
});

/** The error `flaky` raises on its failing attempts. */
export class FlakyError extends Error {
  override name = 'FlakyError';
}

/** Fails its first `failures` attempts, then returns the attempt number; retried with backoff. */
export const flaky = defineTask(
  'flaky',
  { params: ['failures'], autoretryFor: ['FlakyError'], retryBackoff: 0.25, retryJitter: false, maxRetries: 5 },
  (failures: number) => {
    const attempt = currentTask().retries + 1;
    if (attempt <= failures) throw new FlakyError(`attempt ${attempt} of ${failures} planned failures`);
    return attempt;
  },
);

/** Reports PROGRESS with `{current, total}` after each step (Celery's update_state). */
export const progress = defineTask('progress', { params: ['steps', 'step_seconds'] }, async (steps: number, stepSeconds = 0.2) => {
  const task = currentTask();
  for (let current = 1; current <= steps; current++) {
    await new Promise((resolve) => setTimeout(resolve, stepSeconds * 1000));
    task.updateState('PROGRESS', { current, total: steps });
  }
  return steps;
});

/** Returns `size` characters of random text (base64, so gzip cannot shrink it much): a large result. */
export const bigResult = defineTask('big_result', { params: ['size'] }, (size: number) =>
  randomBytes(Math.ceil((size * 3) / 4)).toString('base64').slice(0, size),
);

export const exampleTasks = [add, mul, subtract, xsum, identity, echo, addToAll, fail, onError, sleep, flaky, progress, bigResult];
