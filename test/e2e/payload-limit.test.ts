/**
 * Inputs and results past Temporal's payload size limit (2 MiB once encoded), end to end
 * against a real dev server: each one fails at once with a clear PayloadTooLargeError.
 * Without the checks, a result too large is retried for ever (RETRY), an activity input too
 * large hangs its workflow (its workflow task is retried for ever), and a start too large
 * fails with Temporal's gRPC error, after 40 s of retries past 4 MiB.
 */
import { randomBytes } from 'node:crypto';
import { registry as exampleRegistry } from '../../activities/index.js';
import { PayloadTooLargeError, TaskRegistry, type Task } from '../../src/tasks/index.js';
import { encodedSize, PAYLOAD_LIMIT_BYTES } from '../../src/temporal/payload-limit.js';
import { startStack, type Stack } from '../support/stack.js';

/** Random base64: gzip shrinks it to about 3/4, so 3 MB of it is still over 2 MiB. */
const randomText = (size: number) => randomBytes(Math.ceil((size * 3) / 4)).toString('base64').slice(0, size);

/** A task whose activity skips Celerity's result check, as any other activity would. */
const UNCHECKED_QUEUE = 'payload-limit-unchecked';
const unchecked: Task = {
  name: 'unchecked_big_result',
  options: { params: ['size'], queue: UNCHECKED_QUEUE },
  fn: randomText,
  activity: async (request) => randomText(request.args[0] as number),
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ registry: new TaskRegistry([...exampleRegistry.list(), unchecked]), queues: ['celery', UNCHECKED_QUEUE] });
});
afterAll(() => stack?.stop());

async function resultOf(id: string, timeout = 30) {
  const response = await stack.get(`/tasks/${id}/result?timeout=${timeout}`);
  expect(response.status).toBe(200);
  return response.body;
}

async function expectNeverStarted(id: string) {
  expect((await stack.get(`/tasks/${encodeURIComponent(id)}`)).status).toBe(404);
}

describe('a result', () => {
  // 3 MB is over the payload limit after gzip; 6 MB is over gRPC's 4 MiB message limit too.
  test.each([3_000_000, 6_000_000])('of %d characters ends FAILURE PayloadTooLargeError, not retried', async (size) => {
    const submitted = await stack.post('/tasks', { task: 'big_result', args: [size] });
    expect(submitted.status).toBe(202);
    const done = await resultOf(submitted.body.id);
    expect(done).toMatchObject({ state: 'FAILURE', result: null, retries: 0, error: { type: 'PayloadTooLargeError' } });
    expect(done.error.message).toMatch(
      /^the result of big_result is \d\.\d\d MiB \([\d,]+ bytes\) once encoded, over Temporal's payload size limit of 2\.00 MiB \(2,097,152 bytes\); return a reference to stored data/,
    );
  });

  test('just under the limit succeeds', async () => {
    // About 2.03 MB gzipped.
    const submitted = await stack.post('/tasks', { task: 'big_result', args: [2_700_000] });
    const done = await resultOf(submitted.body.id);
    expect(done.state).toBe('SUCCESS');
    expect(done.result).toHaveLength(2_700_000);
    expect(await encodedSize(done.result)).toBeLessThanOrEqual(PAYLOAD_LIMIT_BYTES);
  });

  test('and arguments that fit can be read back, though the history holds each twice (over 4 MiB)', async () => {
    // 1.5 MB gzipped, in the workflow's input, the activity's input, its result and the workflow's.
    const text = randomText(2_000_000);
    const submitted = await stack.post('/tasks', { task: 'identity', args: [text] });
    expect(submitted.status).toBe(202);
    const done = await resultOf(submitted.body.id);
    expect(done.state).toBe('SUCCESS');
    expect(done.result === text && done.args[0] === text).toBe(true);
  });

  test('that gets past the check fails the task with PayloadTooLargeError, not retried for ever', async () => {
    const submitted = await stack.post('/tasks', { task: 'unchecked_big_result', args: [3_000_000] });
    const done = await resultOf(submitted.body.id);
    expect(done).toMatchObject({ state: 'FAILURE', retries: 0, error: { type: 'PayloadTooLargeError' } });
    // The codec stands in for it with a marker (src/temporal/payload-marker.ts), which the task's workflow turns into this.
    expect(done.error.message).toMatch(
      /^the result of unchecked_big_result is \d\.\d\d MiB \([\d,]+ bytes\) once encoded, over Temporal's payload size limit of 2\.00 MiB \(2,097,152 bytes\); return a reference to stored data/,
    );
  });
});

describe('arguments', () => {
  test('in a request body, over the payload limit once encoded, are refused with 413 naming the size and the limit', async () => {
    const taskId = `payload-body-${Date.now()}`;
    const response = await stack.post('/tasks', { task: 'identity', args: [randomText(3_000_000)], options: { task_id: taskId } });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: expect.stringMatching(/^the input of task .+ is \d\.\d\d MiB \([\d,]+ bytes\) once encoded, over Temporal's payload size limit of 2\.00 MiB/),
    });
    await expectNeverStarted(taskId);
  });

  test('in a request body over 32 MB are refused with 413 naming the size and the limit', async () => {
    const response = await stack.post('/tasks', { task: 'identity', args: [randomText(34_000_000)] });
    expect(response.status).toBe(413);
    expect(response.body.message).toMatch(/^the request body \(34,000,\d{3} bytes\) is over 32mb, the largest Celerity reads; pass a reference/);
  });

  // The client (a schedule, a script, the API) refuses them before they reach Temporal.
  test.each([3_000_000, 6_000_000])('of %d characters sent with the client are refused with PayloadTooLargeError', async (size) => {
    const taskId = `payload-args-${size}-${Date.now()}`;
    const started = Date.now();
    const sent = stack.client.applyAsync({ task: 'identity', args: [randomText(size)], options: { taskId } });
    await expect(sent).rejects.toThrow(PayloadTooLargeError);
    await expect(sent).rejects.toThrow(
      new RegExp(`^the input of task ${taskId} is \\d\\.\\d\\d MiB \\([\\d,]+ bytes\\) once encoded, over Temporal's payload size limit of 2\\.00 MiB \\(2,093,056 bytes\\); store the data elsewhere`),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    await expectNeverStarted(taskId);
  });

  test('that fit a workflow input but not, with a long task id, its activity input are refused', async () => {
    // The activity input is the workflow's with the task id added: tune the arguments so the
    // workflow input alone would be accepted while its activity could never be scheduled.
    const taskId = randomText(1000).replace(/[+/]/g, 'x');
    const data = randomText(3_000_000);
    const sizes = async (length: number) => {
      const [input] = stack.client.prepare({ task: 'identity', args: [data.slice(0, length)], options: { taskId } }, new Date()).args;
      const { task, ...request } = input;
      return { workflow: await encodedSize(input), activity: await encodedSize({ id: taskId, ...request }) };
    };
    let [low, high] = [2_000_000, 3_000_000];
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if ((await sizes(middle)).workflow <= PAYLOAD_LIMIT_BYTES - 16) low = middle;
      else high = middle;
    }
    const { workflow, activity } = await sizes(low);
    expect(workflow).toBeLessThanOrEqual(PAYLOAD_LIMIT_BYTES);
    expect(activity).toBeGreaterThan(PAYLOAD_LIMIT_BYTES);

    await expect(stack.client.applyAsync({ task: 'identity', args: [data.slice(0, low)], options: { taskId } })).rejects.toThrow(PayloadTooLargeError);
    await expectNeverStarted(taskId);
  });
});
