/**
 * The canvas interpreter's rules (CANVAS.md), run by the real canvas workflow on the suite's
 * Temporal server with Temporal's TestWorkflowEnvironment and mocked activities: each mock
 * records how it was called, so a rule is checked on what the workflow did, not on a result.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { registry } from '../../activities/index.js';
import { chain, chord, group, signature, withOptions } from '../../src/canvas/builders.js';
import type { Canvas } from '../../src/canvas/model.js';
import { normalize } from '../../src/canvas/normalize.js';
import { planCanvas } from '../../src/canvas/plan.js';
import { callOptionsFromCelery, type TaskRequest } from '../../src/tasks/index.js';
import { CANVAS_WORKFLOW } from '../../src/temporal/workflow-types.js';
import { WORKFLOWS_PATH } from '../../src/worker/worker.js';
import type { MemberState } from '../../workflows/members.js';

const QUEUE = `interpreter-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

/** Every mocked activity call, in the order they started. */
const calls: Array<{ task: string; id: string; args: unknown[] }> = [];
let inFlight = 0;
let mostInFlight = 0;

/** A mock of task `name`: records its call; add(x, ...) waits 30 - x ms, so that members finish out of order, identity 1.5 s, so that members overlap. */
function mock(name: string, fn: (...args: any[]) => unknown) {
  return async ({ id, args }: TaskRequest) => {
    calls.push({ task: name, id, args });
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, name === 'add' ? Math.max(0, 30 - Number(args[0])) : name === 'identity' ? 1500 : 0));
      return fn(...args);
    } finally {
      inFlight--;
    }
  };
}

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.CELERITY_TEST_TEMPORAL_ADDRESS, namespace: 'default' });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    // More than the workflow lets run at once, so that its own bound is what the last test sees.
    maxConcurrentActivityTaskExecutions: 1000,
    activities: {
      add: mock('add', (x: number, y: number) => x + y),
      mul: mock('mul', (x: number, y: number) => x * y),
      xsum: mock('xsum', (numbers: number[]) => numbers.reduce((a, b) => a + b, 0)),
      identity: mock('identity', (x: unknown) => x),
      fail: mock('fail', (message: string) => {
        throw ApplicationFailure.nonRetryable(message, 'ExpectedError');
      }),
    },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

beforeEach(() => {
  calls.length = 0;
  mostInFlight = 0;
});

/** Runs `canvas` planned for the mocked queue; its result, or its failure, and its members as the query answers. */
async function run(canvas: Canvas): Promise<{ result?: unknown; error?: Error; members: Map<string, MemberState>; rootId: string }> {
  const rootId = randomUUID();
  const planned = planCanvas(normalize(canvas), { rootId, registry, now: new Date(), callOptions: (options) => callOptionsFromCelery({ ...options, queue: QUEUE }) });
  const handle = await env.client.workflow.start(CANVAS_WORKFLOW, { taskQueue: QUEUE, workflowId: rootId, args: [planned] });
  const outcome = await handle.result().then((result) => ({ result }), (error: Error) => ({ error }));
  const answer = await handle.query<MemberState[]>('members');
  return { ...outcome, members: new Map(answer.map((member) => [member.id, member])), rootId };
}

test('a chain prepends each result to the next step, and partial args go to its first (rules 3, 4)', async () => {
  const { result } = await run(chain(signature('add', [1, 2]), signature('mul', [10]), signature('add', [5])));
  expect(result).toBe(35);
  expect(calls.map((c) => [c.task, c.args])).toEqual([['add', [1, 2]], ['mul', [3, 10]], ['add', [30, 5]]]);
});

test('a group keeps submission order when its members finish out of order (rule 8)', async () => {
  // add(i, 0) waits 30 - i ms: the last member finishes first.
  const { result } = await run(group(...[1, 10, 20, 29].map((i) => signature('add', [i, 0]))));
  expect(result).toEqual([1, 10, 20, 29]);
});

test("a chord's body gets the header's results in header order (rule 11)", async () => {
  const { result } = await run(chord([1, 2, 3].map((i) => signature('add', [i, i])), signature('xsum')));
  expect(result).toBe(12);
  expect(calls.filter((c) => c.task === 'xsum').map((c) => c.args)).toEqual([[[2, 4, 6]]]);
});

test('a failed header member: the body never runs, the chord fails with a ChordError naming it (rule 13)', async () => {
  const { error, members, rootId } = await run(chord([signature('add', [1, 1]), signature('fail', ['boom'])], signature('xsum')));
  const failedId = [...members.values()].find((m) => m.task === 'fail')!.id;
  expect((error as Error & { cause: ApplicationFailure }).cause).toMatchObject({ type: 'ChordError', message: `Dependency ${failedId} raised ExpectedError: boom` });
  expect(calls.some((c) => c.task === 'xsum')).toBe(false);
  expect(members.get(rootId)).toMatchObject({ state: 'FAILURE' });
});

test('a failed chain step stops the chain; later steps report its error (rule 6)', async () => {
  const { members } = await run(chain(signature('fail', ['boom']), signature('add', [1])));
  expect(calls.map((c) => c.task)).toEqual(['fail']);
  const later = [...members.values()].find((m) => m.task === 'add')!;
  expect(later).toMatchObject({ state: 'FAILURE', error: { type: 'ExpectedError', message: 'boom' } });
});

test('link runs on success with the result prepended; link_error once per failed member with its id (rule 18)', async () => {
  await run(withOptions(signature('add', [2, 2]), { link: [signature('mul', [3])] }));
  expect(calls.map((c) => [c.task, c.args])).toEqual([['add', [2, 2]], ['mul', [4, 3]]]);

  calls.length = 0;
  const failing = withOptions(group(signature('fail', ['a']), signature('fail', ['b'])), { link_error: [signature('identity')] });
  const { members } = await run(failing);
  const failedIds = [...members.values()].filter((m) => m.task === 'fail').map((m) => m.id).sort();
  expect(calls.filter((c) => c.task === 'identity').map((c) => c.args[0]).sort()).toEqual(failedIds);
});

test('a group of 250 runs at most 200 members at once', async () => {
  const { result } = await run(group(...Array.from({ length: 250 }, (_, i) => signature('identity', [i]))));
  expect(result).toEqual(Array.from({ length: 250 }, (_, i) => i));
  expect(mostInFlight).toBeGreaterThan(100);
  expect(mostInFlight).toBeLessThanOrEqual(200);
});
