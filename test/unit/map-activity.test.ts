/** The built-in map activities (src/tasks/map.ts), run in Temporal's mock activity environment. */
import { ApplicationFailure } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { currentTask, defineTask, planActivity, TaskRegistry, type TaskRequest } from '../../src/tasks/index.js';
import { mapActivities, type MapProgress } from '../../src/tasks/map.js';
import { MAP_ACTIVITY, mapPlan, STARMAP_ACTIVITY } from '../../src/tasks/map-call.js';

/** Calls of `double`, as [task id, item, retries], in the order they ran. */
let calls: Array<[string, unknown, number]> = [];
/** `double` fails on this item in the first attempt only. */
let failOn: number | undefined;

class Flaky extends Error {
  override name = 'Flaky';
}

const double = defineTask('double', { autoretryFor: ['Flaky'], maxRetries: 3, defaultRetryDelay: 2 }, (x: number, plus = 0) => {
  const { id, retries } = currentTask();
  calls.push([id, x, retries]);
  if (x === failOn && retries === 0) throw new Flaky(`item ${x}`);
  return 2 * x + plus;
});
/** Returns `size` random characters (gzip cannot shrink them); fails on a negative size. */
const big = defineTask('big', {}, (size: number) => {
  if (size < 0) throw new Error('no size');
  return randomBytes(size).toString('base64').slice(0, size);
});
/** Reports a custom state with its item (Celery's update_state). */
const reports = defineTask('reports', {}, (x: number) => currentTask().updateState('WORKING', { x }));
const activities = mapActivities(new TaskRegistry([double, big, reports]));

const request = (it: unknown[], args: unknown[] = []): TaskRequest => ({
  id: 'c~1', args, kwargs: {}, plan: planActivity('double', double.options, {}, new Date()),
  map: { task: 'double', it, itemIds: { prefix: 'c~1', offset: 10, suffix: '@2' } },
});

/** Runs one attempt; its heartbeats are collected in `beats`. */
async function attempt(activity: string, input: TaskRequest, info: { attempt: number; heartbeatDetails?: unknown }, beats: unknown[] = []) {
  // Quiet: the failures are the point.
  const env = new MockActivityEnvironment({ ...info, activityType: activity }, { logger: new DefaultLogger('ERROR') });
  env.on('heartbeat', (details: unknown) => beats.push(details));
  return env.run(activities[activity], input);
}

beforeEach(() => {
  calls = [];
  failOn = undefined;
});

test('map calls task(item, ...args) in order, starmap task(*item, ...args), each item with its own task id', async () => {
  expect(await attempt(MAP_ACTIVITY, request([1, 2, 3], [100]), { attempt: 1 })).toEqual([102, 104, 106]);
  expect(calls).toEqual([['c~1/10@2', 1, 0], ['c~1/11@2', 2, 0], ['c~1/12@2', 3, 0]]);
  expect(await attempt(STARMAP_ACTIVITY, request([[1, 5], [2, 7]]), { attempt: 1 })).toEqual([7, 11]);
});

test('an item that fails checkpoints the results before it; the retry resumes after them', async () => {
  failOn = 3;
  const beats: unknown[] = [];
  const failure = await attempt(MAP_ACTIVITY, request([0, 1, 2, 3, 4]), { attempt: 1 }, beats).catch((err) => err);
  // The task's own retry rule decides: autoretry_for Flaky, after default_retry_delay.
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'Flaky', nonRetryable: false, nextRetryDelay: 2000 });
  const last = beats[beats.length - 1] as MapProgress;
  expect(last).toEqual({ state: 'PROGRESS', meta: { done: 3, total: 5 }, checkpoint: [0, 2, 4] });

  calls = [];
  expect(await attempt(MAP_ACTIVITY, request([0, 1, 2, 3, 4]), { attempt: 2, heartbeatDetails: last })).toEqual([0, 2, 4, 6, 8]);
  // Items 0 to 2 are not called again.
  expect(calls).toEqual([['c~1/13@2', 3, 1], ['c~1/14@2', 4, 1]]);
});

test('a resumed attempt heartbeats its checkpoint at once, so that its own heartbeats never erase it', async () => {
  const beats: unknown[] = [];
  const resumed = { state: 'PROGRESS', meta: { done: 1, total: 2 }, checkpoint: [0] };
  await attempt(MAP_ACTIVITY, request([0, 1]), { attempt: 2, heartbeatDetails: resumed }, beats);
  expect(beats[0]).toEqual(resumed);
});

test('a map of a task the worker does not know fails at once, not retried', async () => {
  const input = { ...request([1]), map: { ...request([1]).map!, task: 'nope' } };
  await expect(attempt(MAP_ACTIVITY, input, { attempt: 1 })).rejects.toMatchObject({ type: 'UnknownTaskError', nonRetryable: true });
});

test("a checkpoint over the payload limit fails the map at once, not retried: its result could not be stored either", async () => {
  const input = { ...request([]), map: { ...request([]).map!, task: 'big', it: [1_000_000, 1_000_000, 1_000_000, -1] } };
  const failure = (await attempt(MAP_ACTIVITY, input, { attempt: 1 }).catch((err) => err)) as Error;
  expect(failure).toMatchObject({ type: 'PayloadTooLargeError', nonRetryable: true });
  expect(failure.message).toMatch(/^the results of big for 3 items of 4 is .* over Temporal's payload size limit/);
});

test("a map's time limits are its task's times the item count", () => {
  const plan = { ...planActivity('double', { timeLimit: 10, softTimeLimit: 5 }, {}, new Date()) };
  expect(mapPlan(plan, 100)).toMatchObject({ timeLimitS: 1000, softTimeLimitS: 500, queue: plan.queue, retry: plan.retry });
  expect(mapPlan(plan, 0)).toMatchObject({ timeLimitS: 10, softTimeLimitS: 5 });
});

test("an item's updateState shows its state and meta, with the map's last checkpoint alongside", async () => {
  const beats: unknown[] = [];
  const input = { ...request([]), map: { ...request([]).map!, task: 'reports', it: [7, 8] } };
  const resumed = { state: 'PROGRESS', meta: { done: 1, total: 2 }, checkpoint: [null] };
  await attempt(MAP_ACTIVITY, input, { attempt: 2, heartbeatDetails: resumed }, beats);
  expect(beats).toEqual([resumed, { state: 'WORKING', meta: { x: 8 }, checkpoint: [null] }]);
});
