/**
 * A canvas run from workflow code (runCanvas with the typed builders): the example workflow
 * makes real thumbnails with sharp and a manifest, and its members answer like any canvas's.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack();
  dir = await mkdtemp(join(tmpdir(), 'celerity-upload-'));
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('processProductImage runs a chord of thumbnails and a manifest, durably, from workflow code', async () => {
  const source = join(dir, 'boot.png');
  await sharp({ create: { width: 1000, height: 500, channels: 3, background: '#884422' } }).png().toFile(source);
  const outDir = join(dir, 'out');
  const workflowId = `upload-${randomUUID()}`;
  const manifest = (await stack.temporal.workflow.execute('processProductImage', {
    taskQueue: stack.config.workflowQueue,
    workflowId,
    args: [{ source, sizes: [320, 100, 640], outDir }],
  })) as { thumbnails: Array<{ width: number; height: number }>; manifest: string };

  expect(manifest.thumbnails.map((t) => [t.width, t.height])).toEqual([[100, 50], [320, 160], [640, 320]]);
  expect(JSON.parse(await readFile(manifest.manifest, 'utf8')).source).toMatchObject({ width: 1000, height: 500, format: 'png' });

  // The members of a canvas run from workflow code are tasks like any other: `<workflow id>~<n>`.
  const body = (await stack.get(`/tasks/${workflowId}~4`)).body;
  expect(body).toMatchObject({ task: 'image_manifest', state: 'SUCCESS' });
  expect(body.args[0]).toHaveLength(3);
});

test('a member id of a workflow that ran no canvas is 404', async () => {
  expect((await stack.get('/tasks/no-such-workflow~1')).status).toBe(404);
  const single = await stack.post('/tasks', { task: 'add', args: [1, 1] });
  await stack.get(`/tasks/${single.body.id}/result?timeout=10`);
  const member = await stack.get(`/tasks/${single.body.id}~1`);
  expect(member.status).toBe(404);
  expect(member.body.message).toContain(`${single.body.id}~1`);
});
