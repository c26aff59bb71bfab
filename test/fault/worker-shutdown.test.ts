/**
 * Celery's warm shutdown: SIGTERM to a worker process lets its running tasks finish within the
 * grace period (none runs again); past it they are cancelled and run on another worker; a second
 * signal exits at once. Each task counts its own executions.
 */
import { FaultStack } from './support/fault-stack.js';
import { submit, waitForFinal, type Proc } from '../support/processes.js';

let stack: FaultStack;
let api: string;

beforeEach(async () => {
  stack = await FaultStack.create();
  api = (await stack.api()).url;
});
afterEach(() => stack.cleanup());

/**
 * Submits `n` fault_sleep tasks of `seconds` and waits until all run. Half stop on cancellation
 * with the signal's reason, half with an AbortError (as fetch and timers do).
 */
async function startTasks(prefix: string, n: number, seconds: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  await Promise.all(ids.map((id, i) => submit(api, id, 'fault_sleep', [id, seconds, i % 2 ? 'abort' : 'reason'])));
  await stack.waitForExecutions(n);
  return ids;
}

async function expectAllSucceeded(ids: string[]): Promise<void> {
  const tasks = await waitForFinal(api, ids);
  for (const id of ids) expect({ id, state: tasks.get(id).state, result: tasks.get(id).result }).toEqual({ id, state: 'SUCCESS', result: id });
}

function pidOf(proc: Proc): number {
  return proc.child.pid!;
}

test('SIGTERM: running tasks finish within the grace period, and none runs again', async () => {
  const first = await stack.worker({ CELERITY_WORKER_SHUTDOWN_GRACE: '30' });
  const ids = await startTasks('warm', 10, 3);
  first.child.kill('SIGTERM');

  expect(await first.exited).toBe(0);
  expect(first.output()).toContain('SIGTERM: warm shutdown: taking no new tasks; 10 running task(s) have up to 30 s to finish');
  // Every task finished where it ran, before the worker exited.
  for (const id of ids) expect(stack.executions().get(id)).toEqual({ started: [pidOf(first)], done: [pidOf(first)] });

  await stack.worker(); // runs the workflows' last steps
  await expectAllSucceeded(ids);
  for (const id of ids) expect(stack.executions().get(id)).toEqual({ started: [pidOf(first)], done: [pidOf(first)] });
});

test('SIGTERM past the grace period: running tasks are cancelled and run once more on another worker', async () => {
  const first = await stack.worker({ CELERITY_WORKER_SHUTDOWN_GRACE: '2' });
  const ids = await startTasks('grace', 10, 8);
  first.child.kill('SIGTERM');

  expect(await first.exited).toBe(0);
  expect(first.output()).toContain('grace period over: cancelling 10 running task(s)');
  const second = await stack.worker();
  await expectAllSucceeded(ids);
  // The cut attempt and the whole one: at-least-once, each finishing exactly once.
  for (const id of ids) expect(stack.executions().get(id)).toEqual({ started: [pidOf(first), pidOf(second)], done: [pidOf(second)] });
});

test('a second SIGTERM stops at once; another worker runs the tasks it cut short', async () => {
  const first = await stack.worker({ CELERITY_WORKER_SHUTDOWN_GRACE: '30' });
  const ids = await startTasks('cold', 5, 6);
  first.child.kill('SIGTERM');
  await first.waitFor('warm shutdown');
  const signalled = Date.now();
  first.child.kill('SIGTERM');

  expect(await first.exited).toBe(1);
  expect(Date.now() - signalled).toBeLessThan(5_000);
  expect(first.output()).toContain('SIGTERM again: cold shutdown, exiting now');
  // The server retries each cut attempt once its heartbeats stop (20 s).
  const second = await stack.worker();
  await expectAllSucceeded(ids);
  for (const id of ids) expect(stack.executions().get(id)).toEqual({ started: [pidOf(first), pidOf(second)], done: [pidOf(second)] });
});
