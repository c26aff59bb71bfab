/**
 * A chord in flight survives the restart of each of worker, API and Temporal server, one after
 * another (kill -9, restart, then the next): it ends SUCCESS with the right result, each member
 * ran to completion once, and GET of the chord and of a member answers after each restart.
 * Attempts cut short (the killed worker's, or completions the killed server never recorded)
 * ran partly or again, as at-least-once means: they are counted and reported.
 * Scale: CELERITY_FAULT_CANVAS members (default 150) of 0.5 s, on a worker running 5 at a time,
 * so that the chord is still in flight at the last kill; fewer than the 200 children that GET lists
 * per member of a canvas's tree (199 and the last one beyond that), so that every member shows.
 */
import { FaultStack } from './support/fault-stack.js';
import { request, sleep, waitForFinal } from '../support/processes.js';

const MEMBERS = Number(process.env.CELERITY_FAULT_CANVAS ?? 150);
const WORKER = { CELERITY_FAULT_CONCURRENCY: '5' };
const header = Array.from({ length: MEMBERS }, (_, i) => ({ task: 'fault_slow_add', args: [`member-${i}`, i, i, 0.5] }));
const keys = header.map((member) => member.args[0] as string);
let stack: FaultStack;

beforeAll(async () => {
  stack = await FaultStack.create();
});
afterAll(() => stack.cleanup());

/** GET `path`, waiting out the 503s of a server just back; the task. */
async function read(api: string, path: string): Promise<any> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await request(`${api}${path}`, 'GET');
    if (answer.status === 200) return answer.body;
    if (answer.status !== 503 || Date.now() > deadline) throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    await sleep(200);
  }
}

/** The chord and one of its members, as GET shows them, are right for a chord still in flight. */
async function expectReadable(api: string, id: string): Promise<void> {
  const chord = await read(api, `/tasks/${id}`);
  expect(chord).toMatchObject({ id, state: expect.stringMatching(/^(PENDING|STARTED)$/) });
  // The header's members, in order (the body joins them once it is planned).
  const members = chord.children.slice(0, MEMBERS);
  expect(members.map((member: any) => member.args[0])).toEqual(keys);
  const done = members.find((member: any) => member.state === 'SUCCESS');
  const member = await read(api, `/tasks/${done.id}`);
  expect(member).toMatchObject({ id: done.id, task: 'fault_slow_add', args: done.args, state: 'SUCCESS', result: 2 * done.args[1] });
}

test(`a chord of ${MEMBERS} survives kill -9 and restart of the worker, then the API, then the server`, async () => {
  let api = await stack.api();
  const worker = await stack.worker(WORKER);
  const posted = await request(`${api.url}/tasks`, 'POST', { chord: { header, body: { task: 'fault_sum' } } });
  expect(posted.status).toBe(202);
  const id = posted.body.id;
  await stack.waitForExecutions(20);

  await stack.kill(worker);
  const killedWorker = worker.child.pid;
  await stack.worker(WORKER);
  await expectReadable(api.url, id);

  await stack.kill(api);
  api = await stack.api();
  await expectReadable(api.url, id);

  await stack.killServer();
  const linesAtServerKill = stack.executions();
  await sleep(2000);
  await stack.startServer();
  await expectReadable(api.url, id);

  const chord = (await waitForFinal(api.url, [id], 300_000)).get(id);
  expect(chord).toMatchObject({ state: 'SUCCESS', result: MEMBERS * (MEMBERS - 1) });
  // Finished: every member, in the header's order, then the body.
  expect(chord.children.slice(0, MEMBERS).map((member: any) => member.args[0])).toEqual(keys);
  expect(chord.children.slice(MEMBERS)).toMatchObject([{ task: 'fault_sum', state: 'SUCCESS', result: MEMBERS * (MEMBERS - 1) }]);
  const executions = stack.executions();
  expect(keys.filter((key) => !executions.get(key)?.done.length)).toEqual([]);
  // Ran to completion twice only if its first completion came before the server died and the server had not recorded it.
  const twice = keys.filter((key) => executions.get(key)!.done.length > 1);
  expect(twice.filter((key) => executions.get(key)!.done.length > 2 || linesAtServerKill.get(key)?.done.length !== 1)).toEqual([]);
  const cutShort = keys.filter((key) => executions.get(key)!.started.length > executions.get(key)!.done.length);
  expect(cutShort.filter((key) => !executions.get(key)!.started.includes(killedWorker!))).toEqual([]);
  console.log(
    `${MEMBERS} members: ${cutShort.length} attempts cut short by the worker's kill (run again, to the end, once); ` +
      `${twice.length} run again after the server's restart (completions it had not recorded)`,
  );
});
