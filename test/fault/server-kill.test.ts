/**
 * kill -9 of the Temporal dev server with tasks and a chord in flight, then a restart on the same
 * SQLite file: every task and the chord end SUCCESS with the right results; none is lost.
 * Scale: CELERITY_FAULT_TASKS tasks (default 500, for CI time; the issue asks 1,000) and a chord of twice as many.
 */
import { FaultStack } from './support/fault-stack.js';
import { request, sleep, submit, waitForFinal } from '../support/processes.js';

const TASKS = Number(process.env.CELERITY_FAULT_TASKS ?? 500);
const CHORD = 2 * TASKS;
let stack: FaultStack;

beforeAll(async () => {
  stack = await FaultStack.create();
});
afterAll(() => stack.cleanup());

test(`kill -9 of the Temporal server with ${TASKS} tasks and a chord of ${CHORD} in flight: all succeed after its restart`, async () => {
  const api = (await stack.api()).url;
  await stack.worker();
  const ids = Array.from({ length: TASKS }, (_, i) => `task-${i}`);
  for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((id) => submit(api, id, 'fault_sleep', [id, 0.5])));
  const header = Array.from({ length: CHORD }, (_, i) => ({ task: 'fault_add', args: [`chord-${i}`, i, i] }));
  const chord = await request(`${api}/tasks`, 'POST', { chord: { header, body: { task: 'fault_sum' } } });
  expect(chord.status).toBe(202);
  // Killed with part of the work done and the rest in flight.
  await stack.waitForExecutions(TASKS / 5, 300_000);

  await stack.killServer();
  await sleep(2000);
  await stack.startServer();

  const tasks = await waitForFinal(api, [...ids, chord.body.id], 600_000);
  const wrong = ids.filter((id) => tasks.get(id).state !== 'SUCCESS' || tasks.get(id).result !== id);
  expect(wrong).toEqual([]);
  expect(tasks.get(chord.body.id)).toMatchObject({ state: 'SUCCESS', result: CHORD * (CHORD - 1) });
  const executions = stack.executions();
  const keys = [...ids, ...header.map((member) => member.args[0] as string)];
  expect(keys.filter((key) => !executions.get(key)?.done.length)).toEqual([]);
  const again = keys.filter((key) => executions.get(key)!.done.length > 1);
  console.log(`${keys.length} task runs; ${again.length} ran again after the restart (at-least-once: their completion was not recorded before the kill)`);
}, 900_000);
