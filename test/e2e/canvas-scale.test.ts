/**
 * CANVAS.md rule 19: large collections run in partitions, child workflows of their own. The
 * 10,000-member chord runs with the real partition size; the semantics across partitions are
 * checked on small canvases split into partitions of 3, started as the client starts them.
 */
import { registry } from '../../activities/index.js';
import { normalize } from '../../src/canvas/normalize.js';
import { parseCanvas } from '../../src/canvas/parse.js';
import { partition } from '../../src/canvas/partition.js';
import { planCanvas } from '../../src/canvas/plan.js';
import { callOptionsFromCelery } from '../../src/tasks/index.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.addWorker({ queues: ['bulk'], concurrency: 200 });
});
afterAll(() => stack?.stop());

const t = (task: string, ...args: unknown[]) => ({ task, args });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
let started = 0;

/** Starts a canvas as the client does, but with partitions of `size`. */
async function startPartitioned(json: unknown, size = 3): Promise<string> {
  const id = `partitioned-${Date.now()}-${++started}`;
  const planned = planCanvas(normalize(parseCanvas(json)), { rootId: id, registry, now: new Date(), callOptions: callOptionsFromCelery });
  await stack.temporal.workflow.start('canvas', {
    taskQueue: stack.config.workflowQueue,
    workflowId: id,
    args: [{ tree: partition(planned.tree, size), plans: planned.plans }],
  });
  return id;
}
const result = async (id: string, timeout = 60) => (await stack.get(`/tasks/${id}/result?timeout=${timeout}`)).body;
const runPartitioned = async (json: unknown) => result(await startPartitioned(json));

test('a chord of 10,000 members runs in partitions to its body, with every result in order', async () => {
  const members = 10_000;
  const header = range(members).map((i) => t('identity', i));
  const sent = await stack.post('/tasks', { chord: { header, body: { task: 'xsum' } }, options: { queue: 'bulk' } });
  expect(sent.status).toBe(202);
  const { id } = sent.body;
  const done = await result(id, 900);
  expect(done).toMatchObject({ state: 'SUCCESS', result: (members * (members - 1)) / 2 });
  // The canvas's own workflow runs 10 partitions and the body; each partition 1,000 members.
  expect(done.children.map((c: { id: string }) => c.id)).toEqual([...range(10).map((k) => `${id}~0.${k + 1}`), `${id}~10001`]);
  expect(done.children[10]).toMatchObject({ task: 'xsum', state: 'SUCCESS' });
  const root = await stack.temporal.workflow.getHandle(id).describe();
  const part = await stack.temporal.workflow.getHandle(`${id}~0.4`).describe();
  expect(root.historyLength).toBeLessThan(200);
  expect(part.historyLength).toBeLessThan(10_240);
  // Room for a partition's replay on a busy machine (Temporal's default is 10 s).
  expect(part.raw.executionConfig?.defaultWorkflowTaskTimeout?.seconds?.toString()).toBe('60');
  // A member is found in its partition's workflow.
  expect((await stack.get(`/tasks/${id}~3500`)).body).toMatchObject({ state: 'SUCCESS', task: 'identity', result: 3499, parent_id: `${id}~0.4` });
  // A partition is a member too, read from its own workflow: its members, a bounded list.
  const shown = (await stack.get(`/tasks/${id}~0.4`)).body;
  expect(shown).toMatchObject({ state: 'SUCCESS', result: range(1000).map((i) => 3000 + i) });
  expect(shown.children).toHaveLength(200);
}, 900_000);

describe('across partitions (partitions of 3)', () => {
  test('a chain carries each result into the next partition', async () => {
    expect(await runPartitioned({ chain: [t('add', 1, 1), ...range(7).map(() => t('add', 1))] })).toMatchObject({ state: 'SUCCESS', result: 9 });
  });

  test('a group gives its results in order, through nested partitions; partial args reach every member', async () => {
    const done = await runPartitioned({ chain: [t('add', 1, 1), { group: range(20).map((i) => t('add', i)) }] });
    expect(done).toMatchObject({ state: 'SUCCESS', result: range(20).map((i) => i + 2) });
  });

  test('a chord body gets the whole header; map and starmap keep their order', async () => {
    expect(await runPartitioned({ chord: { header: range(8).map((i) => t('identity', i)), body: t('xsum') } })).toMatchObject({ result: 28 });
    expect(await runPartitioned({ map: { task: t('identity'), it: range(8) } })).toMatchObject({ state: 'SUCCESS', result: range(8) });
    expect(await runPartitioned({ starmap: { task: t('add'), it: range(8).map((i) => [i, i]) } })).toMatchObject({ result: range(8).map((i) => 2 * i) });
  });

  test('a failed member in a partition fails the chord with a ChordError naming it; link_error gets its id', async () => {
    const header = range(8).map((i) => (i === 5 ? t('fail', 'boom') : t('identity', i)));
    const id = await startPartitioned({ chord: { header, body: t('xsum') }, options: { link_error: t('identity') } });
    const done = await result(id);
    expect(done.state).toBe('FAILURE');
    expect(done.error).toMatchObject({ type: 'ChordError' });
    // The errback is member 1, written before the header: header[5] is member 7.
    expect(done.error.message).toContain(`${id}~7 raised`);
    expect(done.error.message).toContain('boom');
    expect((await stack.get(`/tasks/${id}~7`)).body).toMatchObject({ state: 'FAILURE', task: 'fail', error: { message: 'boom' } });
    const errback = done.children.find((c: { task: string }) => c.task === 'identity');
    expect(errback).toMatchObject({ state: 'SUCCESS', result: `${id}~7` });
  });

  test('a member of a partition not started yet answers PENDING, with its task and arguments', async () => {
    // sleep(3) returns 3; then 3, 4, 6, 9, and member 6 is add(9, 4).
    const id = await startPartitioned({ chain: [t('sleep', 3), ...range(6).map((i) => t('add', i))] });
    const pending = (await stack.get(`/tasks/${id}~6`)).body;
    expect(pending).toMatchObject({ state: 'PENDING', task: 'add', args: [4] });
    expect(await result(id)).toMatchObject({ state: 'SUCCESS' });
    expect((await stack.get(`/tasks/${id}~6`)).body).toMatchObject({ state: 'SUCCESS', args: [9, 4] });
  });

  test('revoking the canvas revokes its running partitions', async () => {
    const id = await startPartitioned({ group: range(6).map(() => t('sleep', 60)) });
    const partitionId = `${id}~0.1`;
    for (let i = 0; i < 50 && (await stack.get(`/tasks/${partitionId}`)).body.state !== 'STARTED'; i++) await new Promise((r) => setTimeout(r, 200));
    expect((await stack.post(`/tasks/${id}/revoke`, {})).status).toBe(200);
    expect(await result(id)).toMatchObject({ state: 'REVOKED' });
    const part = await stack.temporal.workflow.getHandle(partitionId).describe();
    expect(part.status.name).toBe('CANCELLED');
  });
});
