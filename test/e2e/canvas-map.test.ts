/**
 * CANVAS.md rules 16 and 17 against the real dev server: a map, a starmap and each run of
 * chunks is one activity looping over its items, which resumes after its last checkpoint.
 */
import { temporal } from '@temporalio/proto';
import { currentTask, defineTask, TaskRegistry } from '../../src/tasks/index.js';
import { registry as exampleRegistry } from '../../activities/index.js';
import { startStack, type Stack } from '../support/stack.js';

class ItemError extends Error {
  override name = 'ItemError';
}

/** The items `fails_once` was called with, in order, by attempt: [item, retries]. */
const calls: Array<[number, number]> = [];
/** Doubles its item; fails on item 3 in the first attempt only, retried at once. */
const failsOnce = defineTask('fails_once', { params: ['x'], autoretryFor: ['ItemError'], defaultRetryDelay: 0 }, (x: number) => {
  const { retries } = currentTask();
  calls.push([x, retries]);
  if (x === 3 && retries === 0) throw new ItemError('item 3 fails once');
  return 2 * x;
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ registry: new TaskRegistry([...exampleRegistry.list(), failsOnce]) });
});
afterAll(() => stack?.stop());

const t = (task: string, ...args: unknown[]) => ({ task, args });

async function run(canvas: unknown): Promise<any> {
  const submitted = await stack.post('/tasks', canvas);
  expect(submitted.status).toBe(202);
  return (await stack.get(`/tasks/${submitted.body.id}/result?timeout=30`)).body;
}

/** The activities the canvas's workflow scheduled: [activity type, activity id]. */
async function scheduled(workflowId: string): Promise<Array<[string, string]>> {
  const { events } = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? [])
    .filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((e) => [e.activityTaskScheduledEventAttributes!.activityType!.name!, e.activityTaskScheduledEventAttributes!.activityId!]);
}

test('rule 17: chunks runs one starmap activity per run of n items, results unchanged', async () => {
  const done = await run({ chunks: { task: t('add'), it: [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7]], n: 3 } });
  expect(done).toMatchObject({ state: 'SUCCESS', result: [[2, 4, 6], [8, 10, 12], [14]] });
  const runs = done.children.map((c: { id: string }) => c.id);
  expect(await scheduled(done.id)).toEqual(runs.map((id: string) => ['celery.starmap', id]));
  expect(done.children[2]).toMatchObject({ task: 'add', state: 'SUCCESS', result: [14], retries: 0 });
});

test('rule 16: a map is one activity whose id is the map member id', async () => {
  const done = await run({ chain: [t('add', 1, 1), { map: { task: t('mul', 10), it: [1, 2, 3] } }] });
  expect(done).toMatchObject({ state: 'SUCCESS', result: [10, 20, 30] });
  const [, map] = done.children;
  expect(await scheduled(done.id)).toEqual([['add', done.children[0].id], ['celery.map', map.id]]);
  expect((await stack.get(`/tasks/${map.id}`)).body).toMatchObject({ task: 'mul', state: 'SUCCESS', result: [10, 20, 30], args: [10] });
});

test('a map retried after item 3 failed resumes after its checkpoint: items 0 to 2 run once', async () => {
  calls.length = 0;
  const done = await run({ map: { task: t('fails_once'), it: [0, 1, 2, 3, 4, 5] } });
  expect(done).toMatchObject({ state: 'SUCCESS', result: [0, 2, 4, 6, 8, 10], retries: 1 });
  expect(calls).toEqual([[0, 0], [1, 0], [2, 0], [3, 0], [3, 1], [4, 1], [5, 1]]);
});

test('a running map shows PROGRESS with the items done so far', async () => {
  const submitted = await stack.post('/tasks', { map: { task: t('sleep'), it: [1, 1, 1] } });
  let seen: any;
  for (let i = 0; i < 100 && seen?.state !== 'PROGRESS'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = (await stack.get(`/tasks/${submitted.body.id}`)).body;
  }
  expect(seen).toMatchObject({ state: 'PROGRESS', meta: { total: 3 } });
  expect(seen.meta.done).toBeGreaterThanOrEqual(1);
  expect((await stack.get(`/tasks/${submitted.body.id}/result?timeout=30`)).body).toMatchObject({ state: 'SUCCESS', result: [1, 1, 1] });
});

test('revoking a running map cancels its one activity: REVOKED, the running item stopped through its signal', async () => {
  const submitted = await stack.post('/tasks', { map: { task: t('sleep'), it: [60, 60] } });
  const id = submitted.body.id;
  for (let i = 0; i < 100 && (await stack.get(`/tasks/${id}`)).body.state === 'PENDING'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect((await stack.post(`/tasks/${id}/revoke`, {})).status).toBeLessThan(300);
  expect((await stack.get(`/tasks/${id}/result?timeout=20`)).body).toMatchObject({ state: 'REVOKED' });
  expect(await scheduled(id)).toEqual([['celery.map', id]]);
});
