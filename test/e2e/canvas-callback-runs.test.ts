/**
 * A planned callback that runs more than once (link_error runs once per failed task, and so
 * does everything inside it) gets an id of its own for each run (src/canvas/ids.ts): the
 * canvas ends, each run is a member with its own arguments, readable by GET.
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
});
afterAll(() => stack?.stop());

const t = (task: string, ...args: unknown[]) => ({ task, args });
let sent = 0;
const newId = () => `callback-runs-${Date.now()}-${++sent}`;

async function run(canvas: object): Promise<{ id: string; done: any }> {
  const id = newId();
  const submitted = await stack.post('/tasks', { ...canvas, options: { ...(canvas as { options?: object }).options, task_id: id } });
  expect(submitted.status).toBe(202);
  return { id, done: (await stack.get(`/tasks/${id}/result?timeout=60`)).body };
}

const member = async (id: string) => (await stack.get(`/tasks/${id}`)).body;

test('a group with two failing members ends FAILURE with the first error; the errback runs once per failure, each a member', async () => {
  const { id, done } = await run({ group: [t('fail', 'first'), t('fail', 'second')], options: { link_error: t('identity') } });
  expect(done).toMatchObject({ state: 'FAILURE', error: { type: 'ExpectedError', message: 'first' } });
  // The errback is member 1 (written before the members 2 and 3); its second run is `~1@2`.
  expect(done.children.map((c: { id: string }) => c.id)).toEqual([`${id}~2`, `${id}~3`, `${id}~1`, `${id}~1@2`]);
  expect(await member(`${id}~1`)).toMatchObject({ task: 'identity', state: 'SUCCESS', args: [`${id}~2`], result: `${id}~2`, parent_id: id });
  expect(await member(`${id}~1@2`)).toMatchObject({ task: 'identity', state: 'SUCCESS', args: [`${id}~3`], result: `${id}~3`, parent_id: id });
});

test('a flat chord with two failing header members ends FAILURE naming the first; the errback runs for each', async () => {
  const { id, done } = await run({ chord: { header: [t('fail', 'a'), t('fail', 'b')], body: t('xsum') }, options: { link_error: t('identity') } });
  expect(done).toMatchObject({ state: 'FAILURE', error: { type: 'ChordError' } });
  expect(done.error.message).toContain(`${id}~2 raised ExpectedError: a`);
  expect(await member(`${id}~1`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~2`] });
  expect(await member(`${id}~1@2`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~3`] });
  expect(await member(`${id}~4`)).toMatchObject({ task: 'xsum', state: 'FAILURE', date_started: null });
});

test('an errback that is a chain runs whole once per failure; its steps carry the run suffix', async () => {
  const errback = { chain: [t('identity'), t('identity')] };
  const { id, done } = await run({ group: [t('fail', 'x'), t('fail', 'y')], options: { link_error: errback } });
  expect(done.state).toBe('FAILURE');
  // The chain is member 1, its steps 2 and 3; the group's members 4 and 5.
  expect(await member(`${id}~1@2`)).toMatchObject({ task: 'chain', state: 'SUCCESS', result: `${id}~5` });
  expect(await member(`${id}~3`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~4`], parent_id: `${id}~2` });
  expect(await member(`${id}~3@2`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~5`], parent_id: `${id}~2@2` });
});

test('a link on members inside an errback that runs twice runs once per run', async () => {
  const errback = { task: 'identity', options: { link: t('identity') } };
  const { id, done } = await run({ group: [t('fail'), t('fail')], options: { link_error: errback } });
  expect(done.state).toBe('FAILURE');
  // The errback is member 1, its link member 2.
  expect(await member(`${id}~2`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~3`], parent_id: `${id}~1` });
  expect(await member(`${id}~2@2`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~4`], parent_id: `${id}~1@2` });
});

test('failures in different partitions each get an errback run of their own', async () => {
  const id = newId();
  const json = { group: [0, 1, 2, 3, 4, 5].map((i) => (i === 1 || i === 4 ? t('fail', `f${i}`) : t('identity', i))), options: { link_error: t('identity') } };
  const planned = planCanvas(normalize(parseCanvas(json)), { rootId: id, registry, now: new Date(), callOptions: callOptionsFromCelery });
  await stack.temporal.workflow.start('canvas', { taskQueue: stack.config.workflowQueue, workflowId: id, args: [{ tree: partition(planned.tree, 3), plans: planned.plans }] });
  const done = (await stack.get(`/tasks/${id}/result?timeout=60`)).body;
  expect(done).toMatchObject({ state: 'FAILURE', error: { message: 'f1' } });
  // Member 1 is the errback; the group's members are 2 to 7.
  expect(await member(`${id}~1`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~3`] });
  expect(await member(`${id}~1@2`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~6`] });
});

test('an errback inside a partition runs once per failure there, each run read from the partition', async () => {
  const id = newId();
  const inner = { group: [t('fail', 'a'), t('fail', 'b')], options: { link_error: t('identity') } };
  const json = { group: [t('identity', 0), t('identity', 1), t('identity', 2), inner] };
  const planned = planCanvas(normalize(parseCanvas(json)), { rootId: id, registry, now: new Date(), callOptions: callOptionsFromCelery });
  await stack.temporal.workflow.start('canvas', { taskQueue: stack.config.workflowQueue, workflowId: id, args: [{ tree: partition(planned.tree, 3), plans: planned.plans }] });
  const done = (await stack.get(`/tasks/${id}/result?timeout=60`)).body;
  expect(done).toMatchObject({ state: 'FAILURE', error: { message: 'a' } });
  // Members 1 to 3 are the identities; the inner group is member 4, its errback 5, its members 6 and 7.
  expect(await member(`${id}~5`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~6`], parent_id: `${id}~4` });
  expect(await member(`${id}~5@2`)).toMatchObject({ state: 'SUCCESS', args: [`${id}~7`], parent_id: `${id}~4` });
  expect((await member(`${id}~4`)).children.map((c: { id: string }) => c.id)).toEqual([`${id}~6`, `${id}~7`, `${id}~5`, `${id}~5@2`]);
});
