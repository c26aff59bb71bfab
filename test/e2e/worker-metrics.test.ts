/**
 * A worker's Prometheus endpoint (`celerity worker --metrics-port`): the SDK's own worker
 * metrics, and Celerity's task outcomes (succeeded, failed, retried) by task name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/temporal/dev-server.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let worker: ChildProcess;
let metricsUrl: string;

beforeAll(async () => {
  stack = await startStack();
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  worker = spawn(process.execPath, [path.resolve('dist/src/cli/main.js'), 'worker', '-Q', 'metered', '--metrics-port', String(port)], {
    env: { ...process.env, TEMPORAL_ADDRESS: stack.config.temporalAddress, CELERITY_WORKFLOW_QUEUE: `${stack.config.workflowQueue}-metered` },
    stdio: 'ignore',
  });
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await stack?.stop();
});

async function run(task: string, args: unknown[]) {
  const sent = await stack.post('/tasks', { task, args, options: { queue: 'metered' } });
  return (await stack.get(`/tasks/${sent.body.id}/result?timeout=30`)).body;
}

test('counts outcomes by task name next to the SDK metrics', async () => {
  expect((await run('add', [1, 2])).state).toBe('SUCCESS');
  expect((await run('fail', ['counted'])).state).toBe('FAILURE');
  expect(await run('flaky', [1])).toMatchObject({ state: 'SUCCESS', retries: 1 });

  // The exporter publishes on an interval: wait for the counts to appear.
  let text = '';
  for (let i = 0; i < 50; i++) {
    text = await fetch(metricsUrl).then((r) => r.text(), () => '');
    if (/celerity_tasks_retried\w*\{[^}]*task="flaky"/.test(text)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(text).toMatch(/celerity_tasks_succeeded\w*\{[^}]*task="add"[^}]*\} 1\b/);
  expect(text).toMatch(/celerity_tasks_failed\w*\{[^}]*task="fail"[^}]*\} 1\b/);
  expect(text).toMatch(/celerity_tasks_retried\w*\{[^}]*task="flaky"[^}]*\} 1\b/);
  expect(text).toMatch(/celerity_tasks_succeeded\w*\{[^}]*task="flaky"[^}]*\} 1\b/);
  expect(text).toMatch(/^temporal_\w+/m);
});
