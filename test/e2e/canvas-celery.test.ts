/**
 * Canvases built and serialised by the real Celery library (test/fixtures/celery/build.py)
 * run on Celerity unchanged and give the results Celery itself computes for them.
 */
import { readFileSync } from 'node:fs';
import { startStack, type Stack } from '../support/stack.js';

interface Fixture {
  name: string;
  rule: string;
  canvas: unknown;
  result: unknown;
}
const { fixtures } = JSON.parse(readFileSync(new URL('../fixtures/celery/canvases.json', import.meta.url), 'utf8')) as {
  fixtures: Fixture[];
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

test.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', async (_name, fixture) => {
  const submitted = await stack.post('/tasks', fixture.canvas);
  expect(submitted.status).toBe(202);
  const done = await stack.get(`/tasks/${submitted.body.id}/result?timeout=30`);
  expect({ state: done.body.state, result: done.body.result, error: done.body.error }).toEqual({
    state: 'SUCCESS',
    result: fixture.result,
    error: null,
  });
});
