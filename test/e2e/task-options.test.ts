/**
 * Celery's task options, each against the real dev server: every row of the README's
 * "Celery option → Celerity behaviour" table has its test here.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { registry as examples } from '../../activities/index.js';
import { isReady } from '../../src/client/state.js';
import { currentTask, defineTask, TaskRegistry } from '../../src/tasks/index.js';
import { startStack, type Stack } from '../support/stack.js';

class NetworkError extends Error {
  override name = 'NetworkError';
}
class PermanentError extends NetworkError {
  override name = 'PermanentError';
}

const attemptTimes = new Map<string, number[]>();
const cleanedUp = new Set<string>();

function recordAttempt(): number {
  const { id } = currentTask();
  const times = attemptTimes.get(id) ?? [];
  times.push(Date.now());
  attemptTimes.set(id, times);
  return times.length;
}

const testTasks = [
  defineTask('backoff_probe', { params: ['failures'], autoretryFor: ['NetworkError'], retryBackoff: 0.3, retryJitter: false, maxRetries: 5 },
    (failures: number) => {
      const attempt = recordAttempt();
      if (attempt <= failures) throw new NetworkError(`attempt ${attempt}`);
      return attempt;
    }),
  defineTask('autoretry_but_not', { autoretryFor: ['NetworkError'], dontAutoretryFor: ['PermanentError'], defaultRetryDelay: 0.1 }, () => {
    recordAttempt();
    throw new PermanentError('never retried');
  }),
  defineTask('explicit_retry', { params: ['times', 'use_exc'], defaultRetryDelay: 0.2, maxRetries: 2 }, (times: number, useExc = false) => {
    const attempt = recordAttempt();
    if (attempt <= times) currentTask().retry(useExc ? { exc: new NetworkError(`gave up at ${attempt}`) } : {});
    return attempt;
  }),
  defineTask('slow', { params: ['seconds'] }, async (seconds: number) => {
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return 'finished';
  }),
  defineTask('careful', { params: ['seconds'] }, async (seconds: number) => {
    const { signal, id } = currentTask();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve('finished'), seconds * 1000);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        // Cleanup takes a moment; a soft limit lets the task finish anyway, a revoke does not.
        setTimeout(() => {
          cleanedUp.add(id);
          if (signal.reason?.name === 'SoftTimeLimitExceeded') resolve('cleaned up');
          else reject(signal.reason);
        }, 200);
      });
    });
  }),
  defineTask('whoami', {}, () => ({ headers: currentTask().headers, retries: currentTask().retries })),
  defineTask('limited', { rateLimit: '10/s' }, () => Date.now()),
  defineTask('default_expiry', { expires: 0.5, queue: 'nobody-serves-expiry' }, () => 'never'),
];
const registry = new TaskRegistry([...examples.list(), ...testTasks]);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ registry });
});
afterAll(() => stack?.stop());

async function submit(body: unknown): Promise<string> {
  const response = await stack.post('/tasks', body);
  if (response.status !== 202) throw new Error(`POST /tasks answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}
const resultOf = async (id: string, timeout = 20) => (await stack.get(`/tasks/${id}/result?timeout=${timeout}`)).body;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls GET /tasks/{id}, collecting each distinct state seen, until it is ready. */
async function watch(id: string, timeoutMs = 20_000): Promise<Array<Record<string, any>>> {
  const seen: Array<Record<string, any>> = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = (await stack.get(`/tasks/${id}`)).body;
    if (seen[seen.length - 1]?.state !== task.state || JSON.stringify(seen[seen.length - 1]?.meta) !== JSON.stringify(task.meta)) seen.push(task);
    if (isReady(task.state)) return seen;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${task.state}`);
    await sleep(50);
  }
}

describe('retries', () => {
  test('autoretry with backoff shows RETRY, with the error and next attempt time, at growing delays, then SUCCESS', async () => {
    const id = await submit({ task: 'backoff_probe', args: [3] });
    const seen = await watch(id);
    const retry = seen.find((t) => t.state === 'RETRY');
    expect(retry).toBeDefined();
    expect(retry!.error).toMatchObject({ type: 'NetworkError', message: expect.stringMatching(/^attempt \d$/) });
    expect(Date.parse(retry!.eta)).toBeGreaterThan(Date.parse(retry!.date_submitted));
    expect(seen[seen.length - 1]).toMatchObject({ state: 'SUCCESS', result: 4, retries: 3 });
    const times = attemptTimes.get(id)!;
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // Backoff 0.3 s · 2^retries: each wait is at least its own delay (a busy machine only adds).
    expect(gaps).toHaveLength(3);
    expect(gaps[0]).toBeGreaterThanOrEqual(300 - 20);
    expect(gaps[1]).toBeGreaterThanOrEqual(600 - 20);
    expect(gaps[2]).toBeGreaterThanOrEqual(1200 - 20);
  });

  test('the example flaky task succeeds after its planned failures', async () => {
    expect(await resultOf(await submit({ task: 'flaky', args: [2] }))).toMatchObject({ state: 'SUCCESS', result: 3, retries: 2 });
  });

  test('max_retries per call stops autoretry with the original error', async () => {
    const done = await resultOf(await submit({ task: 'backoff_probe', args: [5], options: { max_retries: 1 } }));
    expect(done).toMatchObject({ state: 'FAILURE', retries: 1, error: { type: 'NetworkError', message: 'attempt 2' } });
  });

  test('dont_autoretry_for wins over autoretry_for', async () => {
    const id = await submit({ task: 'autoretry_but_not' });
    expect(await resultOf(id)).toMatchObject({ state: 'FAILURE', retries: 0, error: { type: 'PermanentError' } });
    expect(attemptTimes.get(id)).toHaveLength(1);
  });

  test('retry() waits default_retry_delay; past max_retries it raises MaxRetriesExceededError, or exc', async () => {
    const ok = await submit({ task: 'explicit_retry', args: [1] });
    expect(await resultOf(ok)).toMatchObject({ state: 'SUCCESS', result: 2, retries: 1 });
    const [first, second] = attemptTimes.get(ok)!;
    expect(second - first).toBeGreaterThanOrEqual(180);

    const exceeded = await resultOf(await submit({ task: 'explicit_retry', args: [10] }));
    expect(exceeded).toMatchObject({ state: 'FAILURE', retries: 2, error: { type: 'MaxRetriesExceededError' } });
    const withExc = await resultOf(await submit({ task: 'explicit_retry', args: [10, true] }));
    expect(withExc).toMatchObject({ state: 'FAILURE', retries: 2, error: { type: 'NetworkError', message: 'gave up at 3' } });
  });

  test('a task that throws without autoretry fails at once (Celery default)', async () => {
    expect(await resultOf(await submit({ task: 'fail', args: ['no retry'] }))).toMatchObject({ state: 'FAILURE', retries: 0 });
  });
});

describe('time limits', () => {
  test('time_limit ends the task FAILURE TimeLimitExceeded, not retried', async () => {
    const done = await resultOf(await submit({ task: 'slow', args: [5], options: { time_limit: 1 } }));
    expect(done).toMatchObject({ state: 'FAILURE', retries: 0, error: { type: 'TimeLimitExceeded' } });
    expect(Date.parse(done.date_done) - Date.parse(done.date_started)).toBeLessThan(4000);
  });

  test('an uncaught soft_time_limit ends FAILURE SoftTimeLimitExceeded', async () => {
    const done = await resultOf(await submit({ task: 'sleep', args: [5], options: { soft_time_limit: 0.5, time_limit: 3 } }));
    expect(done).toMatchObject({ state: 'FAILURE', error: { type: 'SoftTimeLimitExceeded' } });
  });

  test('a task may catch its soft time limit and finish', async () => {
    const id = await submit({ task: 'careful', args: [5], options: { soft_time_limit: 0.3 } });
    expect(await resultOf(id)).toMatchObject({ state: 'SUCCESS', result: 'cleaned up' });
    expect(cleanedUp.has(id)).toBe(true);
  });

  test('soft_time_limit not below time_limit is 400, as in Celery', async () => {
    const response = await stack.post('/tasks', { task: 'slow', args: [1], options: { time_limit: 1, soft_time_limit: 2 } });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('soft_time_limit');
  });
});

describe('revoke', () => {
  test('revoke without terminate delivers the signal and lets the task clean up; it ends REVOKED', async () => {
    const id = await submit({ task: 'careful', args: [30] });
    await waitFor(id, 'STARTED');
    await stack.post(`/tasks/${id}/revoke`, { reason: 'changed my mind' });
    expect(await resultOf(id)).toMatchObject({ state: 'REVOKED', reason: 'revoked' });
    expect(cleanedUp.has(id)).toBe(true);
  });
});

describe('progress', () => {
  test('updateState shows a custom state with its meta while the task runs', async () => {
    // Progress travels in heartbeats, which reach the server about once a second.
    const seen = await watch(await submit({ task: 'progress', args: [4, 0.7] }));
    const progress = seen.filter((t) => t.state === 'PROGRESS');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0].meta).toEqual({ current: expect.any(Number), total: 4 });
    expect(progress[progress.length - 1].meta.current).toBeGreaterThan(progress[0].meta.current);
    expect(seen[seen.length - 1]).toMatchObject({ state: 'SUCCESS', result: 4 });
  });
});

describe('call options', () => {
  test('ignore_result keeps no return value', async () => {
    expect(await resultOf(await submit({ task: 'add', args: [2, 2], options: { ignore_result: true } }))).toMatchObject({ state: 'SUCCESS', result: null });
  });

  test('ignore_result still passes the value to the next chain step and to link callbacks', async () => {
    const ignored = { task: 'add', args: [2, 2], options: { ignore_result: true } };
    const chain = await resultOf(await submit({ chain: [ignored, { task: 'mul', args: [10] }] }));
    expect(chain).toMatchObject({ state: 'SUCCESS', result: 40 });
    expect(chain.children[0]).toMatchObject({ task: 'add', state: 'SUCCESS', result: null });

    const linked = await resultOf(await submit({ ...ignored, options: { ...ignored.options, link: { task: 'mul', args: [10] } } }));
    expect(linked).toMatchObject({ state: 'SUCCESS', result: null });
    expect(linked.children[0]).toMatchObject({ task: 'mul', state: 'SUCCESS', result: 40 });
  });

  test('headers reach the task', async () => {
    const done = await resultOf(await submit({ task: 'whoami', options: { headers: { tenant: 'acme' } } }));
    expect(done.result).toEqual({ headers: { tenant: 'acme' }, retries: 0 });
  });

  test("a task's default expires applies to calls", async () => {
    expect(await resultOf(await submit({ task: 'default_expiry' }))).toMatchObject({ state: 'REVOKED', reason: 'expired' });
  });

  test('priority reaches Temporal as the activity priority key', async () => {
    const id = await submit({ task: 'add', args: [1, 1], options: { queue: 'nobody-serves-priority', priority: 9 } });
    let pending;
    for (let i = 0; i < 50 && !pending; i++) {
      pending = (await stack.temporal.workflow.getHandle(id).describe()).raw.pendingActivities?.[0];
      if (!pending) await sleep(100);
    }
    expect(pending?.priority?.priorityKey).toBe(5);
    await stack.post(`/tasks/${id}/revoke`, { terminate: true });
  });
});

describe('queues and workers', () => {
  test('a task on a queue with no worker stays PENDING, and runs once a worker for that queue starts', async () => {
    const id = await submit({ task: 'add', args: [20, 22], options: { queue: 'late-queue' } });
    await sleep(1000);
    expect((await stack.get(`/tasks/${id}`)).body.state).toBe('PENDING');
    await stack.addWorker({ queues: ['late-queue'] });
    expect(await resultOf(id)).toMatchObject({ state: 'SUCCESS', result: 42, queue: 'late-queue' });
  });

  test('a worker runs at most its concurrency at once', async () => {
    await stack.addWorker({ queues: ['single'], concurrency: 1 });
    const ids = await Promise.all([0, 1].map(() => submit({ task: 'slow', args: [0.5], options: { queue: 'single' } })));
    const [a, b] = await Promise.all(ids.map((id) => resultOf(id)));
    const [first, second] = Date.parse(a.date_started) < Date.parse(b.date_started) ? [a, b] : [b, a];
    expect(Date.parse(second.date_started)).toBeGreaterThanOrEqual(Date.parse(first.date_done) - 100);
  });

  test('rate_limit is enforced across workers: 50 tasks at 10/s on two workers take about 4 s, not a moment', async () => {
    await stack.addWorker({ queues: ['celery'] });
    const ids = await Promise.all(Array.from({ length: 50 }, () => submit({ task: 'limited' })));
    const results = await Promise.all(ids.map((id) => resultOf(id, 30)));
    expect(results.every((r) => r.state === 'SUCCESS')).toBe(true);
    const ran = results.map((r) => r.result as number).sort((x, y) => x - y);
    // A burst of about 10, then 10 a second: the last starts ~4 s after the first (measured
    // 3.89 s once), where unlimited all 50 start within a second. Timestamps come from two workers.
    expect(ran[ran.length - 1] - ran[0]).toBeGreaterThanOrEqual(3500);
  });

  test('a worker that stops mid-task loses nothing: the task runs again on another worker', async () => {
    const first = await stack.addWorker({ queues: ['handover'] });
    const id = await submit({ task: 'slow', args: [1.5], options: { queue: 'handover' } });
    await waitFor(id, 'STARTED');
    await stack.addWorker({ queues: ['handover'] });
    await first.stop();
    expect(await resultOf(id, 40)).toMatchObject({ state: 'SUCCESS', result: 'finished' });
  });
});

test('a worker process killed mid-task loses nothing: after its heartbeat times out the task runs elsewhere', async () => {
  const worker = spawn(process.execPath, [path.resolve('dist/src/cli/main.js'), 'worker', '-Q', 'crashy'], {
    env: { ...process.env, TEMPORAL_ADDRESS: stack.config.temporalAddress, CELERITY_WORKFLOW_QUEUE: `${stack.config.workflowQueue}-crashy` },
    stdio: 'ignore',
  });
  try {
    const id = await submit({ task: 'sleep', args: [2], options: { queue: 'crashy' } });
    await waitFor(id, 'STARTED', 30_000);
    worker.kill('SIGKILL');
    await stack.addWorker({ queues: ['crashy'] });
    expect(await resultOf(id, 60)).toMatchObject({ state: 'SUCCESS', result: 2, retries: 1 });
  } finally {
    worker.kill('SIGKILL');
  }
}, 90_000);

async function waitFor(id: string, state: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await stack.get(`/tasks/${id}`)).body.state !== state) {
    if (Date.now() > deadline) throw new Error(`task ${id} never reached ${state}`);
    await sleep(50);
  }
}
