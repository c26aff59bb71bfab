/**
 * The client's typed `sendTask` (Celery's `send_task`): a client made with the app's registry
 * checks each task's name and arguments at compile time (the `@ts-expect-error` lines fail the
 * compile of this file if they stop being errors), and the API's checks still hold at run time.
 */
import { registry } from '../../activities/index.js';
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
