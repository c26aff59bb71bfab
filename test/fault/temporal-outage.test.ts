/**
 * The Temporal server down for over a minute while clients keep sending and reading: the API
 * answers 503 with Retry-After promptly (never 500), normal answers come back as soon as the
 * server does, and every task sent before the outage completes after it. Two APIs go through
 * the same outage: one of its own (`celerity api`) and one beside a worker (`celerity dev`),
 * which starts workflows eagerly on the worker's connection while the server is up.
 */
import { FaultStack } from './support/fault-stack.js';
import { request, sleep, submit, waitForFinal, type Answer } from '../support/processes.js';

const OUTAGE_MS = 65_000;
let stack: FaultStack;

beforeAll(async () => {
  stack = await FaultStack.create();
});
afterAll(() => stack.cleanup());

test('Temporal down for 65 s: 503 with Retry-After, no 500; everything completes after', async () => {
  const api = (await stack.api()).url;
  const dev = (await stack.api('dev')).url;
  await stack.worker();
  const before = Array.from({ length: 10 }, (_, i) => `before-${i}`);
  await Promise.all(before.map((id, i) => submit(i % 2 ? dev : api, id, 'fault_sleep', [id, 4])));
  await stack.waitForExecutions(before.length);

  await stack.killServer();
  const answers: Array<Answer & { what: string }> = [];
  const refused: string[] = [];
  const outageEnd = Date.now() + OUTAGE_MS;
  for (let k = 0; Date.now() < outageEnd; k++) {
    const id = `during-${k}`;
    const url = k % 2 ? dev : api;
    const [posted, read, health] = await Promise.all([
      request(`${url}/tasks`, 'POST', { task: 'fault_sleep', args: [id, 0.1], options: { task_id: id } }),
      request(`${url}/tasks/${before[k % before.length]}`, 'GET'),
      request(`${url}/health`, 'GET'),
    ]);
    const where = url === dev ? ' (dev)' : '';
    answers.push({ ...posted, what: `POST ${id}${where}` }, { ...read, what: `GET /tasks/{id}${where}` }, { ...health, what: `GET /health${where}` });
    if (posted.status === 503) refused.push(id);
    await sleep(500);
  }

  const summary = answers.map(({ what, status, retryAfter, ms }) => ({ what, status, retryAfter: retryAfter !== null, prompt: ms < 5_000 }));
  expect(summary.filter((a) => a.status !== 503 || !a.retryAfter || !a.prompt)).toEqual([]);
  expect(refused.length).toBe(answers.length / 3);
  console.log(`outage: ${answers.length} answers, all 503 with Retry-After; slowest ${Math.max(...answers.map((a) => a.ms))} ms`);

  await stack.startServer();
  const back = Date.now();
  for (;;) {
    const answered = await Promise.all([api, dev].flatMap((url) => [request(`${url}/tasks/${before[0]}`, 'GET'), request(`${url}/health`, 'GET')]));
    if (answered.every(({ status }) => status === 200)) break;
    expect(answered.map(({ status }) => status).filter((status) => status !== 503 && status !== 200)).toEqual([]);
    expect(Date.now() - back).toBeLessThan(5_000);
    await sleep(200);
  }
  console.log(`normal answers ${Date.now() - back} ms after the server was back`);

  // A client resends what was refused, with the same task ids.
  for (const [i, id] of refused.entries()) await submit(i % 2 ? dev : api, id, 'fault_sleep', [id, 0.1]);
  const ids = [...before, ...refused];
  const tasks = await waitForFinal(api, ids);
  for (const id of ids) expect({ id, state: tasks.get(id).state, result: tasks.get(id).result }).toEqual({ id, state: 'SUCCESS', result: id });
  const executions = stack.executions();
  // Sent while the server was down: refused, never run; resent: run once.
  for (const id of refused) expect({ id, done: executions.get(id)!.done.length }).toEqual({ id, done: 1 });
  // In flight when the server died: completions it never recorded are run again (at-least-once).
  const reruns = before.filter((id) => executions.get(id)!.done.length > 1);
  console.log(`in flight at the kill: ${before.length} tasks, ${reruns.length} run again after the restart`);
  for (const id of before) expect(executions.get(id)!.done.length).toBeGreaterThanOrEqual(1);
});
