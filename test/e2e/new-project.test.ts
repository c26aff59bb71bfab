/**
 * The path a new user takes: Celerity packed with `npm pack`, installed into a copy of
 * examples/iot-anomalies (a project of its own), built, and run with `celerity dev -A
 * ./dist/app.js` (its own embedded Temporal server, on free ports); then a task and the chord
 * of the app's own workflow, over REST and from the TypeScript client.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { devEnv } from '../support/dev-env.js';

const run = promisify(execFile);
const EXAMPLE = path.resolve('examples/iot-anomalies');

let dir: string;
let project: string;
let env: NodeJS.ProcessEnv;
let dev: { child: ChildProcess; output: string; exited: Promise<number | null> };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'celerity-new-project-'));
  project = path.join(dir, 'iot-anomalies');
  const filter = (source: string) => !/[\\/](node_modules|dist)$/.test(source);
  const [{ stdout: packed }] = await Promise.all([
    run('npm', ['pack', '--pack-destination', dir, '--silent']),
    cp(EXAMPLE, project, { recursive: true, filter }),
  ]);
  // The npm cache holds what this repository installed; the registry answers for anything else.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, packed.trim())], { cwd: project });
  await run('npm', ['run', 'build'], { cwd: project });

  env = await devEnv({ CELERITY_DATA_DIR: path.join(dir, 'data') });
  delete env.CELERITY_APP;
  const child = spawn(path.join(project, 'node_modules/.bin/celerity'), ['dev', '-A', './dist/app.js'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  dev = { child, output: '', exited: new Promise((resolve) => child.once('exit', resolve)) };
  child.stdout!.on('data', (chunk) => (dev.output += chunk));
  child.stderr!.on('data', (chunk) => (dev.output += chunk));
  const deadline = Date.now() + 90_000;
  while (!dev.output.includes('press Ctrl-C to stop')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`celerity dev did not start:\n${dev.output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 240_000);

afterAll(async () => {
  if (dev && dev.child.exitCode === null) {
    dev.child.kill('SIGTERM');
    await dev.exited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

const api = async (route: string, body?: unknown) => {
  const response = await fetch(`http://127.0.0.1:${env.PORT}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};

test('the installed package serves the app: its tasks only, and its beat schedule', async () => {
  expect((await api('/task-types')).body.map((t: { name: string }) => t.name)).toEqual(['detect_anomalies', 'summarize_anomalies']);
  expect(dev.output).toContain('beat:        1 declared schedule(s); created 1');
  expect((await api('/schedules/hourly-scan-of-the-test-rig')).status).toBe(200);
});

test('a task over REST', async () => {
  const sent = await api('/tasks', { task: 'detect_anomalies', args: ['boiler-3', [10, 10, 10, 10, 10, 10, 40]], kwargs: { threshold: 2 } });
  expect(sent.status).toBe(202);
  const done = await api(`/tasks/${sent.body.id}/result?timeout=30`);
  expect(done.body).toMatchObject({ state: 'SUCCESS', result: { sensor: 'boiler-3', count: 7, anomalies: [{ index: 6, value: 40 }] } });
});

test("a task and the app's own chord from the TypeScript client, and the chord over REST", async () => {
  const { stdout } = await run('node', ['dist/scan.js'], { cwd: project, env });
  const { task, scan } = JSON.parse(stdout);
  expect(task).toMatchObject({ state: 'SUCCESS', result: { sensor: 'boiler-1', anomalies: [{ index: 4, value: 98 }] } });
  const summary = { sensors: 2, readings: 14, anomalies: 1, alerts: ['boiler-1'] };
  expect(scan).toMatchObject({ state: 'SUCCESS', result: summary });

  const chord = await api(`/tasks/${scan.id}/result?timeout=30`);
  expect(chord.body).toMatchObject({ task: 'chord', state: 'SUCCESS', result: summary });
  expect(chord.body.children.map((c: { task: string }) => c.task)).toEqual(['detect_anomalies', 'detect_anomalies', 'summarize_anomalies']);
}, 60_000);

test('a missing or malformed app is refused with a message naming the file and what is wrong', async () => {
  const celerity = (app: string) =>
    run(path.join(project, 'node_modules/.bin/celerity'), ['worker', '-A', app], { cwd: project, env }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
  const [missing, malformed] = await Promise.all([celerity('./dist/nope.js'), celerity('./dist/tasks.js')]);
  expect(missing).toEqual({ code: 1, stderr: `celerity: app ${path.join(project, 'dist/nope.js')}: no such file (built yet?)\n` });
  expect(malformed.code).toBe(1);
  expect(malformed.stderr).toContain(`app ${path.join(project, 'dist/tasks.js')}: has no default export`);
  expect(malformed.stderr).toContain('(it exports detectAnomalies, summarizeAnomalies)');
}, 60_000);
