/**
 * A prebuilt workflow bundle (`celerity bundle`, what a production image builds once): a
 * `celerity worker --workflow-bundle` process loads it instead of bundling at start, and runs
 * Celerity's workflows and the app's from it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnProcess, type Proc } from '../support/processes.js';
import { startStack, type Stack } from '../support/stack.js';

const MAIN = path.resolve('dist/src/cli/main.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'celerity-bundle-'));
const bundle = path.join(dir, 'workflow-bundle.js');
let stack: Stack;
let worker: Proc | undefined;

beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await worker?.exited;
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const workerEnv = () => ({
  ...process.env,
  TEMPORAL_ADDRESS: process.env.CELERITY_TEST_TEMPORAL_ADDRESS,
  CELERITY_WORKFLOW_QUEUE: stack.config.workflowQueue,
  CELERITY_WORKER_SHUTDOWN_GRACE: '0',
});

test('celerity bundle writes the bundle; a worker started with it runs tasks and canvases', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [MAIN, 'bundle', '-o', bundle], { env: workerEnv() });
  expect(stdout).toContain(`workflow bundle written to ${bundle}`);
  expect(existsSync(bundle)).toBe(true);

  worker = spawnProcess(process.execPath, [MAIN, 'worker', '--workflow-bundle', bundle], workerEnv());
  await worker.waitFor('worker serving', 60_000);
  const chain = await stack.post('/tasks', { chain: [{ task: 'add', args: [2, 2] }, { task: 'mul', args: [10] }] });
  expect((await stack.get(`/tasks/${chain.body.id}/result?timeout=30`)).body).toMatchObject({ state: 'SUCCESS', result: 40 });
  const task = await stack.post('/tasks', { task: 'add', args: [1, 2] });
  expect((await stack.get(`/tasks/${task.body.id}/result?timeout=30`)).body).toMatchObject({ state: 'SUCCESS', result: 3 });
}, 180_000);

test('a worker given a bundle that does not exist says which file and stops', async () => {
  const missing = spawnProcess(process.execPath, [MAIN, 'worker', '--workflow-bundle', path.join(dir, 'nope.js')], workerEnv());
  expect(await missing.exited).not.toBe(0);
  expect(missing.output()).toContain(path.join(dir, 'nope.js'));
}, 60_000);
