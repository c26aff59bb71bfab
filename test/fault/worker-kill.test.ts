/**
 * kill -9 of a worker process while its long tasks heartbeat: once the heartbeats stop (20 s)
 * Temporal hands each task to another worker, which finishes it. Each succeeds once; the
 * attempts cut short ran partly (at-least-once), and are counted.
 */
import { Cluster } from './support/cluster.js';
import { submit, waitForFinal } from '../support/processes.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await Cluster.create();
});
afterAll(() => cluster.cleanup());

test('kill -9 of a worker mid-task: another worker finishes every task, each once', async () => {
  const api = (await cluster.api()).url;
  const first = await cluster.worker();
  const ids = Array.from({ length: 10 }, (_, i) => `heartbeating-${i}`);
  await Promise.all(ids.map((id) => submit(api, id, 'fault_sleep', [id, 5])));
  await cluster.waitForExecutions(ids.length);
  first.child.kill('SIGKILL');
  await first.exited;

  const second = await cluster.worker();
  const tasks = await waitForFinal(api, ids);
  for (const id of ids) expect({ id, state: tasks.get(id).state, result: tasks.get(id).result }).toEqual({ id, state: 'SUCCESS', result: id });
  const executions = cluster.executions();
  for (const id of ids) expect(executions.get(id)).toEqual({ started: [first.child.pid, second.child.pid], done: [second.child.pid] });
  console.log(`${ids.length} attempts cut short by the kill, each run again once, to the end, on the other worker`);
});
