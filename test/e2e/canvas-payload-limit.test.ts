/**
 * Canvases whose values grow past Temporal's payload size limit (2 MiB once encoded) as they
 * run, end to end against a real dev server: a chord body's input (the header's results), a
 * chain step's input (the previous result), a canvas's result (a group's list). No check at
 * start can see these. Each ends FAILURE with a PayloadTooLargeError on the member it concerns,
 * at once; before, the workflow task that carried the value was retried for ever (a hang), and
 * a canvas whose members were over the limit together could not be read.
 */
import { randomBytes } from 'node:crypto';
import { TOO_LARGE_KEY } from '../../src/temporal/payload-marker.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** `size` characters of random base64: gzip shrinks them to about 3/4. */
const big = (size: number) => ({ task: 'big_result', args: [size] });
const SIZE = /\d\.\d\d MiB \([\d,]+ bytes\) once encoded, over Temporal's payload size limit of 2\.00 MiB \(2,097,152 bytes\)/;

/** Sends a canvas and waits for it: a hang shows as a state that is not ready after 20 s. */
async function run(canvas: unknown) {
  const submitted = await stack.post('/tasks', canvas);
  expect(submitted.status).toBe(202);
  const done = await stack.get(`/tasks/${submitted.body.id}/result?timeout=20`);
  expect(done.status).toBe(200);
  return done.body;
}

async function get(id: string) {
  const response = await stack.get(`/tasks/${encodeURIComponent(id)}`);
  expect(response.status).toBe(200);
  return response.body;
}

test('a chord whose header results are over the limit together fails its body with PayloadTooLargeError', async () => {
  // Each result fits (about 0.7 MB gzipped); the body's input, the three together, does not.
  const done = await run({ chord: { header: [big(950_000), big(950_000), big(950_000)], body: { task: 'xsum' } } });
  const body = done.children[3];
  expect(done).toMatchObject({ state: 'FAILURE', result: null, error: { type: 'PayloadTooLargeError' } });
  expect(done.error.message).toMatch(new RegExp(`^the input of xsum ${body.id} is ${SIZE.source}; its arguments hold earlier results .+ have those tasks return a reference to stored data`));
  expect(body).toMatchObject({ task: 'xsum', state: 'FAILURE', retries: 0, error: { type: 'PayloadTooLargeError', message: done.error.message } });
  // The header succeeded; the tree leaves out values too large to show together, a member shows its own.
  for (const member of done.children.slice(0, 3)) expect(member).toMatchObject({ task: 'big_result', state: 'SUCCESS' });
  expect(done.children[0].result).toEqual({ [TOO_LARGE_KEY]: { size: expect.any(Number), limit: expect.any(Number) } });
  expect((await get(done.children[0].id)).result).toHaveLength(950_000);
  // The body alone is over the limit too: its argument, the header's list, is left out.
  const alone = await get(body.id);
  expect(alone).toMatchObject({ state: 'FAILURE', error: { type: 'PayloadTooLargeError' } });
  expect(alone.args).toEqual([{ [TOO_LARGE_KEY]: { size: expect.any(Number), limit: expect.any(Number) } }]);
});

test('a chain step whose input, with the previous result, is over the limit fails with PayloadTooLargeError', async () => {
  // The result fits (about 2.03 MB gzipped); with 120 KB more of arguments the next step's input does not.
  const extra = randomBytes(90_000).toString('base64');
  const done = await run({ chain: [big(2_700_000), { task: 'echo', args: [extra] }] });
  const [first, second] = done.children;
  expect(first).toMatchObject({ state: 'SUCCESS' });
  expect(second).toMatchObject({ task: 'echo', state: 'FAILURE', retries: 0, error: { type: 'PayloadTooLargeError' } });
  expect(done).toMatchObject({ state: 'FAILURE', error: { type: 'PayloadTooLargeError' } });
  expect(done.error.message).toMatch(new RegExp(`^the input of echo ${second.id} is ${SIZE.source}`));
});

test('a group whose results are over the limit together ends FAILURE PayloadTooLargeError on the canvas', async () => {
  const done = await run({ group: [big(950_000), big(950_000), big(950_000)] });
  expect(done).toMatchObject({ state: 'FAILURE', result: null, error: { type: 'PayloadTooLargeError' } });
  expect(done.error.message).toMatch(new RegExp(`^the result of canvas ${done.id} is ${SIZE.source}; it collects its members' results: have the tasks return a reference`));
  expect(done.children.map((member: { state: string }) => member.state)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  expect((await get(done.children[2].id)).result).toHaveLength(950_000);
});

test('a canvas whose result fits but whose members do not, together, still reads back', async () => {
  // The result, three of 600 KB, fits gzipped; with the members' own results beside it, the tree does not.
  const done = await run({ group: [big(600_000), big(600_000), big(600_000)] });
  expect(done.state).toBe('SUCCESS');
  expect(done.result.map((text: string) => text.length)).toEqual([600_000, 600_000, 600_000]);
  expect(done.children.map((member: { result: unknown }) => member.result)).toEqual(
    Array(3).fill({ [TOO_LARGE_KEY]: { size: 600_002, limit: expect.any(Number) } }),
  );
});

test('a partition whose input, with the result carried to it, is over the limit fails with PayloadTooLargeError', async () => {
  // A group of 1,001 runs in two partitions; the first holds 1,000 members with 200 random
  // characters of arguments each, which with the carried result (about 2.03 MB) is over the limit.
  const members = Array.from({ length: 1001 }, () => ({ task: 'echo', args: [randomBytes(150).toString('base64')] }));
  const done = await run({ chain: [big(2_700_000), { group: members }] });
  expect(done).toMatchObject({ state: 'FAILURE', error: { type: 'PayloadTooLargeError' } });
  const [first, group] = done.children;
  expect(first.state).toBe('SUCCESS');
  const part = group.children[0];
  expect(part).toMatchObject({ state: 'FAILURE', error: { type: 'PayloadTooLargeError' } });
  expect(done.error.message).toMatch(new RegExp(`^the input of ${part.id} \\(its members and the arguments passed to them\\) is ${SIZE.source}; its arguments hold earlier results`));
});
