/**
 * A canvas is readable and revocable whatever its workflow's state: from its history when the
 * workflow cannot answer (no worker, a workflow task that keeps failing, terminated), and its
 * /result?timeout=S answers within S (+1 s).
 */
import { normalize } from '../../src/canvas/normalize.js';
import { parseCanvas } from '../../src/canvas/parse.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let worker: { stop(): Promise<void> };
beforeAll(async () => {
  stack = await startStack({ worker: false });
  worker = await stack.addWorker({ runWorkflows: true });
});
afterAll(() => stack?.stop());

const t = (task: string, ...args: unknown[]) => ({ task, args });
let sent = 0;
const newId = () => `read-history-${Date.now()}-${++sent}`;

/** Every member of a tree, the tree first. */
async function readAll(id: string): Promise<Array<{ status: number; body: any }>> {
  const answers = [await stack.get(`/tasks/${id}`)];
  for (let i = 0; i < answers.length; i++) {
    for (const child of answers[i].body?.children ?? []) answers.push(await stack.get(`/tasks/${child.id}`));
  }
  return answers;
}

/** An answer with its members' dates as whether they are set, and errors as their type and message. */
function comparable(answer: { status: number; body: any }): unknown {
  const member = (body: any): unknown => ({
    ...body,
    date_started: body.date_started !== null, date_done: body.date_done !== null,
    error: body.error && { type: body.error.type, message: body.error.message },
    children: body.children?.map(member),
  });
  return { status: answer.status, body: member(answer.body) };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - start };
}

describe('a canvas whose workflow task keeps failing', () => {
  // A plan whose member points at a plan that is not there: the interpreter throws in every workflow task.
  const start = async (id: string) => {
    const tree = { kind: 'chain', id, children: [{ kind: 'task', id: `${id}~1`, task: 'add', args: [1, 1], kwargs: {}, immutable: false, plan: 7 }] };
    await stack.temporal.workflow.start('canvas', { taskQueue: stack.config.workflowQueue, workflowId: id, args: [{ tree, plans: [] }] });
    // Wait until its workflow task has failed once at least.
    for (let i = 0; i < 100 && ((await stack.temporal.workflow.getHandle(id).describe()).raw.pendingWorkflowTask?.attempt ?? 1) < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  test('is readable, /result?timeout=2 answers within 3 s, and a revoke stops it (terminated)', async () => {
    const id = newId();
    await start(id);
    const shown = await stack.get(`/tasks/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, task: 'chain', state: 'PENDING' });
    expect(shown.body.children).toMatchObject([{ id: `${id}~1`, task: 'add', state: 'PENDING', args: [1, 1] }]);
    expect((await stack.get(`/tasks/${id}~1`)).body).toMatchObject({ id: `${id}~1`, state: 'PENDING', parent_id: id });

    const waited = await timed(() => stack.get(`/tasks/${id}/result?timeout=2`));
    expect(waited.value.status).toBe(200);
    expect(waited.ms).toBeLessThan(3_000);

    // A cancel it could never take: it is terminated instead.
    const revoked = await stack.post(`/tasks/${id}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ state: 'REVOKED', reason: 'terminated' });
    expect((await stack.temporal.workflow.getHandle(id).describe()).status.name).toBe('TERMINATED');
    expect((await stack.get(`/tasks/${id}`)).body).toMatchObject({ state: 'REVOKED', children: [{ state: 'REVOKED' }] });
    expect((await stack.get(`/tasks/${id}~1`)).body).toMatchObject({ state: 'REVOKED' });
  });

  test('revoke with terminate stops it', async () => {
    const id = newId();
    await start(id);
    const revoked = await stack.post(`/tasks/${id}/revoke`, { terminate: true });
    expect(revoked.body).toMatchObject({ state: 'REVOKED', reason: 'terminated' });
  });
});

describe('with no worker running', () => {
  afterAll(async () => {
    worker = await stack.addWorker({ runWorkflows: true });
  });

  test('a finished canvas and each of its members answer what they answered with a worker, at once', async () => {
    const id = newId();
    const canvas = {
      group: [
        { chain: [t('add', 1, 1), t('mul', 10)] },
        { chord: { header: [t('add', 1, 1), t('fail', 'boom')], body: t('xsum') } },
        { task: 'flaky', args: [1] },
        { map: { task: t('identity'), it: [1, 2] } },
      ],
      options: { task_id: id, link_error: t('identity') },
    };
    expect((await stack.post('/tasks', canvas)).status).toBe(202);
    expect((await stack.get(`/tasks/${id}/result?timeout=60`)).body.state).toBe('FAILURE');
    const withWorker = await readAll(id);
    expect(withWorker.length).toBeGreaterThan(10);
    await worker.stop();

    const { value: withoutWorker, ms } = await timed(() => readAll(id));
    // The same fields; a chain's or chord's own error and dates are the workflow's (its stack, its
    // clock) with a worker, its members' without: their presence, type and message must agree.
    expect(withoutWorker.map(comparable)).toEqual(withWorker.map(comparable));
    // Read from the history, not after waiting for a worker to answer a query.
    expect(ms).toBeLessThan(withWorker.length * 1_000);
    const flaky = withoutWorker.find((answer) => answer.body.task === 'flaky')!.body;
    expect(flaky).toMatchObject({ state: 'SUCCESS', retries: 1, result: 2 });
  });

  test('a running canvas answers from its history within the read timeout, and can be revoked', async () => {
    worker = await stack.addWorker({ runWorkflows: true });
    const id = newId();
    await stack.post('/tasks', { chain: [t('add', 1, 1), { task: 'sleep', args: [60], immutable: true }, t('add', 1)], options: { task_id: id } });
    for (let i = 0; i < 100 && (await stack.get(`/tasks/${id}`)).body.children?.[1]?.state !== 'STARTED'; i++) await new Promise((r) => setTimeout(r, 100));
    await worker.stop();

    const { value: shown, ms } = await timed(() => stack.get(`/tasks/${id}`));
    expect(shown.status).toBe(200);
    expect(ms).toBeLessThan(5_000);
    expect(shown.body).toMatchObject({ state: 'STARTED', children: [{ state: 'SUCCESS', result: 2 }, { task: 'sleep', args: [60] }, { state: 'PENDING' }] });
    // Its worker's shutdown cut the running attempt short: STARTED, or RETRY once Temporal saw it fail.
    expect(['STARTED', 'RETRY']).toContain(shown.body.children[1].state);
    const waited = await timed(() => stack.get(`/tasks/${id}/result?timeout=2`));
    expect(waited.ms).toBeLessThan(3_000);
    expect(waited.value.body.state).toBe('STARTED');
    // No worker takes the cancel: terminate stops it all the same.
    expect((await stack.post(`/tasks/${id}/revoke`, { terminate: true })).body).toMatchObject({ state: 'REVOKED', reason: 'terminated' });
  });

  test('a canvas planned by its workflow (as a schedule runs one) reads from its history too', async () => {
    worker = await stack.addWorker({ runWorkflows: true });
    const id = newId();
    const canvas = normalize(parseCanvas({ chain: [t('add', 1, 1), { group: [t('mul', 10), t('fail')] }] }));
    await stack.temporal.workflow.start('canvas', { taskQueue: stack.config.workflowQueue, workflowId: id, args: [{ canvas }] });
    expect((await stack.get(`/tasks/${id}/result?timeout=30`)).body).toMatchObject({ state: 'FAILURE', error: { type: 'ExpectedError' } });
    const withWorker = await readAll(id);
    await worker.stop();
    expect((await readAll(id)).map(comparable)).toEqual(withWorker.map(comparable));
  });
});
