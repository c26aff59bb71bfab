/**
 * `npm start` killed with SIGKILL, at the npm pid or at the node pid, leaves nothing running, and
 * the next `npm start` comes up on the same data (stopping a Temporal server left on it) and
 * finishes what was in flight. The example app's `sleep` tasks; ports are free ones.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../../src/temporal/cli.js';
import { freePort, serverPids } from '../../src/temporal/dev-server.js';
import { request, sleep, spawnProcess, submit, waitForFinal, type Proc } from '../support/processes.js';

let env: NodeJS.ProcessEnv;
let api: string;
let dbFile: string;
const started: Proc[] = [];

beforeAll(async () => {
  // start.mjs reinstalls when the lock file is newer than node_modules: never here.
  expect(statSync('node_modules/.package-lock.json').mtimeMs).toBeGreaterThanOrEqual(statSync('package-lock.json').mtimeMs);
  const [port, temporalPort, uiPort, cli] = await Promise.all([freePort(), freePort(), freePort(), findTemporalCli({ install: false })]);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'celerity-npm-start-'));
  env = {
    ...process.env,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_CLI: cli,
    CELERITY_DATA_DIR: dataDir,
    CELERITY_WORKFLOW_QUEUE: 'celerity-npm-start-test',
    CELERITY_WORKER_SHUTDOWN_GRACE: '1',
  };
  delete env.TEMPORAL_ADDRESS;
  api = `http://127.0.0.1:${port}`;
  dbFile = path.join(dataDir, 'temporal.db');
});
afterAll(async () => {
  for (const proc of started) for (const pid of [...descendants(proc.child.pid!), proc.child.pid!]) kill(pid);
  for (const pid of serverPids(dbFile)) kill(pid);
  rmSync(env.CELERITY_DATA_DIR!, { recursive: true, force: true });
});

async function npmStart(): Promise<Proc> {
  const proc = spawnProcess('npm', ['start'], env);
  started.push(proc);
  await proc.waitFor('press Ctrl-C to stop', 180_000);
  return proc;
}

/** Every process under `pid`, from /proc. */
function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return false;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

async function expectAllGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(200);
  expect(pids.filter(alive).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))).toEqual([]);
}

/** Starts `sleep` tasks and waits until they run. */
async function inFlight(prefix: string): Promise<string[]> {
  const ids = Array.from({ length: 5 }, (_, i) => `${prefix}-${i}`);
  await Promise.all(ids.map((id) => submit(api, id, 'sleep', [4])));
  for (const id of ids) while ((await request(`${api}/tasks/${id}`, 'GET')).body.state !== 'STARTED') await sleep(200);
  return ids;
}

async function expectSucceeded(ids: string[]): Promise<void> {
  const tasks = await waitForFinal(api, ids);
  for (const id of ids) expect({ id, state: tasks.get(id).state, result: tasks.get(id).result }).toEqual({ id, state: 'SUCCESS', result: 4 });
}

test('kill -9 of the npm pid stops everything; the next start finishes what was in flight', async () => {
  const npm = await npmStart();
  const ids = await inFlight('npm-pid');
  const tree = descendants(npm.child.pid!);
  expect(serverPids(dbFile)).toHaveLength(1);
  npm.child.kill('SIGKILL');
  await expectAllGone(tree);

  await npmStart();
  await expectSucceeded(ids);
});

test('kill -9 of the node pid stops its Temporal server; the next start finishes what was in flight', async () => {
  const npm = started.at(-1)!;
  const ids = await inFlight('node-pid');
  const tree = descendants(npm.child.pid!);
  const node = tree.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start.mjs'))!;
  kill(node);
  await expectAllGone([...tree, npm.child.pid!]);

  await npmStart();
  await expectSucceeded(ids);
});

test('a Temporal server left running on the data (its guard killed too) is stopped by the next start', async () => {
  const npm = started.at(-1)!;
  const ids = await inFlight('left-behind');
  const tree = descendants(npm.child.pid!);
  const [server] = serverPids(dbFile);
  for (const pid of tree.filter((pid) => pid !== server)) kill(pid);
  kill(npm.child.pid!);
  await sleep(1000);
  expect(alive(server)).toBe(true);

  await npmStart();
  expect(alive(server)).toBe(false);
  await expectSucceeded(ids);
});
