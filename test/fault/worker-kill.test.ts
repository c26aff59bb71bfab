/**
 * kill -9 of a worker process while its long tasks heartbeat: once the heartbeats stop (20 s)
 * Temporal hands each task to another worker, which finishes it. Each succeeds once; the
 * attempts cut short ran partly (at-least-once), and are counted.
 */
import { FaultStack } from './support/fault-stack.js';
import { submit, waitForFinal } from '../support/processes.js';

let stack: FaultStack;

beforeAll(async () => {
  stack = await FaultStack.create();
});
afterAll(() => stack.cleanup());

test('kill -9 of a worker mid-task: another worker finishes every task, each once', async () => {
  const api = (await stack.api()).url;
  const first = await stack.worker();
  const ids = Array.from({ length: 10 }, (_, i) => `heartbeating-${i}`);
  await Promise.all(ids.map((id) => submit(api, id, 'fault_sleep', [id, 5])));
  await stack.waitForExecutions(ids.length);
  first.child.kill('SIGKILL');
  await first.exited;

  const second = await stack.worker();
  const tasks = await waitForFinal(api, ids);
  for (const id of ids) expect({ id, state: tasks.get(id).state, result: tasks.get(id).result }).toEqual({ id, state: 'SUCCESS', result: id });
  const executions = stack.executions();
  for (const id of ids) expect(executions.get(id)).toEqual({ started: [first.child.pid, second.child.pid], done: [second.child.pid] });
  console.log(`${ids.length} attempts cut short by the kill, each run again once, to the end, on the other worker`);
});
