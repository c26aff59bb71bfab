/**
 * The client as Celery users know it. `sendTask` (Celery's `send_task`): a client made with the
 * app's registry checks each task's name and arguments at compile time (the `@ts-expect-error`
 * lines fail the compile of this file if they stop being errors), and the API's checks still
 * hold at run time. `asyncResult(id)`: Celery's AsyncResult (get, state, ready, children, revoke).
 */
import { registry } from '../../activities/index.js';
import { group, signature } from '../../src/canvas/builders.js';
import type { Canvas } from '../../src/canvas/model.js';
import { CanvasError } from '../../src/canvas/parse.js';
import { CelerityClient } from '../../src/client/client.js';
import { UnknownTaskError } from '../../src/tasks/index.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let client: CelerityClient<typeof registry>;

beforeAll(async () => {
  stack = await startStack();
  client = new CelerityClient({ client: stack.temporal, registry, workflowQueue: stack.config.workflowQueue });
});
afterAll(() => stack?.stop());

test("sendTask('add', [2, 2]) sends add, typed against its parameters", async () => {
  const { task } = await client.sendTask('add', [2, 2], { options: { countdown: 0 } });
  expect(await client.waitResult(task.id, 20)).toMatchObject({ task: 'add', state: 'SUCCESS', result: 4 });
});

test('arguments that do not fit the task, and unknown names, are compile errors and refused at run time', async () => {
  // @ts-expect-error add takes (x: number, y: number)
  await expect(client.sendTask('add', [2, 2, 2])).rejects.toThrow('add() takes 2 positional arguments but 3 were given');
  // @ts-expect-error no task is named nope
  await expect(client.sendTask('nope', [])).rejects.toThrow(UnknownTaskError);
});

test('a canvas built in code and nested deeper than 64 levels is refused before it reaches Temporal, as over REST', async () => {
  let canvas: Canvas = signature('add', [1, 1]);
  for (let level = 0; level < 64; level++) canvas = group(canvas);
  await expect(client.applyCanvas(canvas)).rejects.toThrow(new CanvasError('the canvas', 'nests signatures deeper than 64 levels'));
});

test("inspection: the stack's worker polls its workflow queue and the default task queue", async () => {
  const queues = await client.queues();
  expect(queues.map((q) => [q.name, q.kind])).toEqual(expect.arrayContaining([[stack.config.workflowQueue, 'workflow'], ['celery', 'task']]));
  const workers = await client.workers([stack.config.workflowQueue]);
  expect(workers.length).toBeGreaterThan(0);
  expect(workers[0].queues).toEqual([{ name: stack.config.workflowQueue, kind: 'workflow', lastSeen: expect.any(Date) }]);
});

describe('AsyncResult', () => {
  test('get gives the result, state and ready tell where it is, children are handles too', async () => {
    const chain = await stack.post('/tasks', { chain: [{ task: 'add', args: [1, 1] }, { task: 'mul', args: [5] }] });
    const result = client.asyncResult(chain.body.id);
    expect(await result.get({ timeout: 20 })).toBe(10);
    expect(await result.state()).toBe('SUCCESS');
    expect(await result.ready()).toBe(true);
    const [first, second] = await result.children();
    expect(await first.get()).toBe(2);
    expect(await second.get()).toBe(10);
  });

  test('get raises the task error, a revoke, or a timeout; propagate: false gives the result', async () => {
    const failed = client.asyncResult((await client.sendTask('fail', ['boom'])).task.id);
    await expect(failed.get({ timeout: 20 })).rejects.toMatchObject({ name: 'TaskFailedError', error: { type: 'ExpectedError', message: 'boom' } });
    expect(await failed.get({ timeout: 20, propagate: false })).toBeNull();

    const sleeping = client.asyncResult((await client.sendTask('sleep', [30])).task.id);
    await expect(sleeping.get({ timeout: 1 })).rejects.toMatchObject({ name: 'TaskTimeoutError' });
    expect(await sleeping.ready()).toBe(false);
    await sleeping.revoke({ terminate: true });
    await expect(sleeping.get({ timeout: 5 })).rejects.toMatchObject({ name: 'TaskRevokedError', reason: 'terminated' });
  });
});
