/** CANVAS.md rule 19, in part: a chord wider than the 2,000 activities one workflow may have pending completes. */
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ queues: ['bulk'] });
  await stack.addWorker({ queues: ['bulk'], concurrency: 200 });
});
afterAll(() => stack?.stop());

test('a chord of 2,999 members and its body (over the 2,000 pending activities one workflow may have) runs to its body with every result, in order', async () => {
  const members = 2_999; // with its body, the 3,000 tasks a canvas may run
  const header = Array.from({ length: members }, (_, i) => ({ task: 'identity', args: [i] }));
  const sent = await stack.post('/tasks', { chord: { header, body: { task: 'xsum' } }, options: { queue: 'bulk' } });
  expect(sent.status).toBe(202);
  const done = (await stack.get(`/tasks/${sent.body.id}/result?timeout=600`)).body;
  expect(done).toMatchObject({ state: 'SUCCESS', result: (members * (members - 1)) / 2 });
  // The tree stays readable: a bounded list of members, the body among them.
  expect(done.children.length).toBeLessThanOrEqual(201);
  expect(done.children[done.children.length - 1]).toMatchObject({ task: 'xsum', state: 'SUCCESS' });
  const history = await stack.temporal.workflow.getHandle(sent.body.id).describe();
  expect(history.historyLength).toBeLessThan(50_000);
}, 900_000);

test('a larger canvas is refused with 413 and a message that says what to do, and never starts', async () => {
  const header = Array.from({ length: 3_001 }, (_, i) => ({ task: 'identity', args: [i] }));
  const sent = await stack.post('/tasks', { chord: { header, body: { task: 'xsum' } }, options: { task_id: 'too-large-chord' } });
  expect(sent.status).toBe(413);
  expect(sent.body.message).toContain('at most 3000');
  expect((await stack.get('/tasks/too-large-chord')).status).toBe(404);
});
