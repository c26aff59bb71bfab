/**
 * Issue 10 item 3: a canvas member answers exactly what the same task run alone answers
 * (retries, eta while in RETRY, state, error, result, dates), field by field.
 */
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** The same task alone, and as the first member of a canvas (a task with a link). */
async function sendBoth(task: object): Promise<{ alone: string; member: string }> {
  const alone = await stack.post('/tasks', task);
  const canvas = await stack.post('/tasks', { ...task, options: { ...(task as { options?: object }).options, link: { task: 'identity' } } });
  expect([alone.status, canvas.status]).toEqual([202, 202]);
  // The task is member 0 of its canvas: the canvas's own id; its link is member 1.
  return { alone: alone.body.id, member: canvas.body.id };
}

async function until(id: string, ok: (body: any) => boolean): Promise<any> {
  for (let i = 0; i < 400; i++) {
    const { body } = await stack.get(`/tasks/${id}`);
    if (ok(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${id} never got there`);
}

const FIELDS = ['task', 'state', 'result', 'error', 'reason', 'meta', 'args', 'kwargs', 'retries', 'queue'] as const;

function expectSame(alone: any, member: any): void {
  for (const field of FIELDS) expect({ field, value: member[field] }).toEqual({ field, value: alone[field] });
  for (const date of ['date_started', 'date_done', 'eta']) expect({ date, set: member[date] !== null }).toEqual({ date, set: alone[date] !== null });
}

test('a task retried twice: retries 2 alone and as a member, finished', async () => {
  const { alone, member } = await sendBoth({ task: 'flaky', args: [2] });
  const done = await Promise.all([alone, member].map((id) => until(id, (body) => body.state === 'SUCCESS')));
  expect(done[0]).toMatchObject({ retries: 2, result: 3 });
  expectSame(done[0], done[1]);
});

test('in RETRY: the same error and an eta, alone and as a member', async () => {
  // flaky(5) waits 0.25 s after its first failure, doubling each time: 2 s after its fourth.
  const { alone, member } = await sendBoth({ task: 'flaky', args: [5] });
  const retrying = await Promise.all([alone, member].map((id) => until(id, (body) => body.state === 'RETRY' && body.error.message.startsWith('attempt 4 '))));
  expect(retrying[0].eta).not.toBeNull();
  expectSame(retrying[0], retrying[1]);
});

test('a failure: the same error, alone and as a member', async () => {
  const { alone, member } = await sendBoth({ task: 'fail', args: ['nope'] });
  const failed = await Promise.all([alone, member].map((id) => until(id, (body) => body.state === 'FAILURE')));
  expect(failed[0].error).toMatchObject({ type: 'ExpectedError', message: 'nope' });
  expectSame(failed[0], failed[1]);
});
