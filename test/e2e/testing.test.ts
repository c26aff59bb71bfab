/** `celerity/testing`: one call gives an app's tests a worker (with the app's own workflows) and the API. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import app from '../../activities/index.js';
import { startTestStack, type TestStack } from '../../src/testing.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(app, { temporalAddress: process.env.CELERITY_TEST_TEMPORAL_ADDRESS });
}, 120_000);
afterAll(() => stack?.stop());

test('runs the app’s tasks over REST and from the client, on a workflow queue of its own', async () => {
  expect(stack.config.workflowQueue).toMatch(/^celerity-test-/);
  const sent = await fetch(`${stack.url}/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ task: 'add', args: [2, 2] }),
  });
  const { id } = await sent.json();
  expect((await stack.client.waitResult(id, 30)).result).toBe(4);
});

test('runs the app’s own workflows beside Celerity’s', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'celerity-testing-'));
  const source = path.join(dir, 'sock.png');
  await sharp({ create: { width: 300, height: 100, channels: 3, background: '#123456' } }).png().toFile(source);
  const manifest = await stack.temporal.workflow.execute('processProductImage', {
    taskQueue: stack.config.workflowQueue,
    workflowId: `testing-${randomUUID()}`,
    args: [{ source, sizes: [30], outDir: dir }],
  });
  expect(manifest).toMatchObject({ thumbnails: [{ width: 30, height: 10 }] });
  await rm(dir, { recursive: true, force: true });
});
