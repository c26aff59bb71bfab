/**
 * Eager workflow start: where the API shares its process with a worker that runs Celerity's
 * workflows (`celerity dev`, and this suite's stack), Temporal answers a task's or a canvas's
 * start with the workflow's first task for that worker, instead of queueing it for a poller.
 * A delayed start (countdown, eta) is queued whatever is asked, so it is started as usual.
 * An API of its own (`celerity api`) has no worker to hand the task to.
 */
import { temporal } from '@temporalio/proto';
import { registry } from '../../activities/index.js';
import { startApi, type ApiServer } from '../../src/api/server.js';
import { startStack, type Stack } from '../support/stack.js';

const { EventType } = temporal.api.enums.v1;

let stack: Stack;
let apiAlone: ApiServer;
beforeAll(async () => {
  stack = await startStack();
  apiAlone = await startApi(stack.config, registry, true);
});
afterAll(async () => {
  await apiAlone?.close();
  await stack?.stop();
});

/**
 * Whether the workflow's first task went to the worker with the start's answer. A poller that
 * takes a workflow task names its worker's build id in the task's started event; the start of
 * an eager one is recorded with the workflow's start, before any worker has asked for it.
 */
async function startedEagerly(id: string): Promise<boolean> {
  const { events } = await stack.temporal.workflow.getHandle(id).fetchHistory();
  const first = events?.find((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  if (!first) throw new Error(`${id} has no workflow task yet`);
  return !first.workflowTaskStartedEventAttributes?.workerVersion?.buildId;
}

async function sendAndWait(url: string, body: unknown): Promise<string> {
  const sent = await fetch(`${url}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(sent.status).toBe(202);
  const { id } = (await sent.json()) as { id: string };
  const done = (await (await fetch(`${url}/tasks/${id}/result?timeout=30`)).json()) as { state: string };
  expect(done.state).toBe('SUCCESS');
  return id;
}

test('a task and a canvas sent through an API beside a worker start eagerly; a delayed task and an API alone do not', async () => {
  const url = stack.api.url;
  const started = {
    task: await startedEagerly(await sendAndWait(url, { task: 'add', args: [2, 2] })),
    chain: await startedEagerly(await sendAndWait(url, { chain: [{ task: 'add', args: [1, 1] }, { task: 'mul', args: [3] }] })),
    countdown: await startedEagerly(await sendAndWait(url, { task: 'add', args: [2, 2], options: { countdown: 0.1 } })),
    apiAlone: await startedEagerly(await sendAndWait(apiAlone.url, { task: 'add', args: [2, 2] })),
  };
  expect(started).toEqual({ task: true, chain: true, countdown: false, apiAlone: false });
});
