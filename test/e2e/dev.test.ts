/**
 * `celerity dev` (what `npm start` runs) as a user runs it: its own Temporal dev server with
 * SQLite and the Web UI, a worker and the API; a task survives a restart; stopping leaves no
 * process behind. Runs the built CLI on free ports, never 3000/7233/8233.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { devEnv } from '../support/dev-env.js';

const main = path.resolve('dist/src/cli/main.js');
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await devEnv({ CELERITY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'celerity-dev-')), CELERITY_WORKFLOW_QUEUE: 'celerity-dev-test' });
});
afterAll(() => rmSync(env.CELERITY_DATA_DIR!, { recursive: true, force: true }));

function startDev(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [main, 'dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitUntilUp(output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!output().includes('press Ctrl-C to stop')) {
    if (Date.now() > deadline) throw new Error(`celerity dev did not start:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const api = (p: string, init?: RequestInit) => fetch(`http://127.0.0.1:${env.PORT}${p}`, init).then(async (r) => ({ status: r.status, body: await r.json() }));

test('runs everything, keeps tasks across a restart, and stops without leaving a process', async () => {
  const first = startDev();
  await waitUntilUp(first.output);
  expect(first.output()).toContain(`API:         http://127.0.0.1:${env.PORT}`);
  expect(first.output()).toContain(`Temporal UI: http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);

  const submitted = await api('/tasks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'add', args: [2, 2] }) });
  expect(submitted.status).toBe(202);
  const started = Date.now();
  const done = await api(`/tasks/${submitted.body.id}/result?timeout=10`);
  expect(done.body).toMatchObject({ state: 'SUCCESS', result: 4 });
  expect(Date.now() - started).toBeLessThan(5000);
  expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`)).status).toBe(200);
  // The UI decodes gzipped payloads through the API's codec server.
  const uiSettings = await (await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/api/v1/settings`)).json();
  expect(uiSettings.Codec.Endpoint).toBe(`http://127.0.0.1:${env.PORT}/codec`);
  expect(await listening(Number(env.TEMPORAL_PORT))).toBe(true);

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(await listening(Number(env.TEMPORAL_PORT))).toBe(false);

  const second = startDev();
  await waitUntilUp(second.output);
  expect((await api(`/tasks/${submitted.body.id}`)).body).toMatchObject({ state: 'SUCCESS', result: 4 });
  second.child.kill('SIGINT');
  expect(await second.exited).toBe(0);
  expect(await listening(Number(env.TEMPORAL_PORT))).toBe(false);
  expect(await listening(Number(env.TEMPORAL_UI_PORT))).toBe(false);
  expect(await listening(Number(env.PORT))).toBe(false);
}, 120_000);

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
