/**
 * Scale-out on a real Temporal cluster (issue 14): Temporal Server v1.32.0 on PostgreSQL started
 * by scripts/cluster.sh, two API processes and three worker processes on different queues, all
 * real `celerity -A` processes. Tasks and canvases go through both APIs; one worker and one API
 * are killed midway and restarted. Every task ends once with its result, every canvas right,
 * and the beat schedule both APIs declare exists once and never runs twice for a slot.
 * Executions are counted by the tasks themselves, outside Temporal.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isReady } from '../../src/client/state.js';
import { freePort } from '../../src/temporal/dev-server.js';
import { executions, request, sleep, spawnProcess, type Proc } from '../support/processes.js';

const TASKS = Number(process.env.CELERITY_SCALE_TASKS || 5000);
const CANVASES = 20;
const HEADER = 10;
const MAIN = path.resolve('dist/src/cli/main.js');
const APP = path.resolve('test/cluster/app.mjs');

const dir = mkdtempSync(path.join(os.tmpdir(), 'celerity-cluster-'));
const countFile = path.join(dir, 'executions.log');
const clusterEnv = { ...process.env, CELERITY_CLUSTER_DIR: dir };
const procs: Proc[] = [];
let address: string;

const run = promisify(execFile);
const cluster = (command: string, extra: NodeJS.ProcessEnv = {}) =>
  run('bash', ['scripts/cluster.sh', command], { env: { ...clusterEnv, ...extra }, timeout: 15 * 60_000 });

function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, TEMPORAL_ADDRESS: address, CELERITY_SCALE_COUNT_FILE: countFile, CELERITY_WORKER_SHUTDOWN_GRACE: '0', ...extra };
}

async function worker(queues: string): Promise<Proc> {
  const proc = spawnProcess(process.execPath, [MAIN, 'worker', '-A', APP, '-Q', queues, '-c', '50'], env({}));
  procs.push(proc);
  await proc.waitFor('worker serving', 120_000);
  return proc;
}

async function api(port?: number): Promise<{ proc: Proc; url: string; port: number }> {
  const chosen = port ?? (await freePort());
  const proc = spawnProcess(process.execPath, [MAIN, 'api', '-A', APP], env({ PORT: String(chosen) }));
  procs.push(proc);
  await proc.waitFor('API on', 120_000);
  return { proc, url: `http://127.0.0.1:${chosen}`, port: chosen };
}

/** POSTs until an API answers below 500; a client that got no answer resends the same task_id. */
async function send(apis: () => string[], body: { options: { task_id: string } }, k: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const url = apis()[(k + attempt) % 2];
    const answer = await request(`${url}/tasks`, 'POST', body).catch(() => undefined);
    if (answer && answer.status < 300) return;
    if (answer && answer.status < 500) throw new Error(`POST ${body.options.task_id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    if (attempt > 60) throw new Error(`POST ${body.options.task_id} got no answer`);
    await sleep(500);
  }
}

async function inBatches<T>(items: T[], size: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

beforeAll(async () => {
  const { stdout } = await cluster('start');
  address = /TEMPORAL_ADDRESS=(\S+)/.exec(stdout)![1];
}, 20 * 60_000);

afterAll(async () => {
  for (const proc of procs) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  await Promise.all(procs.map((proc) => proc.exited));
  await cluster('destroy').catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

test(`${TASKS} tasks and ${CANVASES} chords through two APIs, three workers; a worker and an API killed midway`, async () => {
  const started = Date.now();
  const [w1] = await Promise.all([worker('celery'), worker('celery,io'), worker('io')]);
  const apiA = await api();
  const apiB = await api();
  let urls = [apiA.url, apiB.url];

  const chords = Array.from({ length: CANVASES }, (_, c) => ({
    chord: { header: Array.from({ length: HEADER }, (_, m) => ({ task: 'scale_one', args: [`chord-${c}-${m}`] })), body: { task: 'scale_sum' } },
    options: { task_id: `chord-${c}` },
  }));
  const tasks = Array.from({ length: TASKS }, (_, i) => ({
    task: 'scale_count', args: [`task-${i}`], options: { task_id: `task-${i}`, queue: i % 2 ? 'io' : 'celery' },
  }));
  await inBatches(chords, 5, (body, k) => send(() => urls, body, k));

  // Midway: kill -9 the first worker and the first API, then start both again (the API on its port).
  let killed = false;
  let restarting: Promise<void> | undefined;
  await inBatches(tasks, 50, async (body, i) => {
    if (i >= TASKS / 2 && !killed) {
      killed = true;
      w1.child.kill('SIGKILL');
      apiA.proc.child.kill('SIGKILL');
      restarting = (async () => {
        await Promise.all([w1.exited, apiA.proc.exited]);
        await sleep(2000);
        const [again] = await Promise.all([api(apiA.port), worker('celery')]);
        urls = [again.url, apiB.url];
      })();
    }
    await send(() => urls, body, i);
  });
  await restarting;
  const sentS = (Date.now() - started) / 1000;

  // Every task and canvas ends SUCCESS with its result, read through both APIs.
  const ids = [...tasks.map((t) => t.options.task_id), ...chords.map((c) => c.options.task_id)];
  const read = new Map<string, { state: string; result: unknown }>();
  await inBatches(ids, 50, async (id, k) => {
    for (let polls = 0; ; polls++) {
      const answer = await request(`${urls[k % 2]}/tasks/${id}/result?timeout=30`, 'GET');
      read.set(id, { state: answer.body.state, result: answer.body.result });
      if (isReady(answer.body.state) || polls > 20) return;
    }
  });
  const wrong = ids.filter((id) => {
    const expected = id.startsWith('chord-') ? HEADER : id;
    return read.get(id)?.state !== 'SUCCESS' || read.get(id)?.result !== expected;
  });
  expect(wrong.slice(0, 10).map((id) => [id, read.get(id)])).toEqual([]);

  // Each ran to the end at least once; a second run only where the killed worker was cut short
  // after the task's own work (at-least-once), never because a resent POST started it again.
  const counts = executions(countFile);
  const keys = [...tasks.map((t) => t.args[0]), ...chords.flatMap((c) => c.chord.header.map((m) => m.args[0]))];
  const killedPid = w1.child.pid!;
  const missing = keys.filter((key) => !counts.get(key)?.done.length);
  const doubled = keys.filter((key) => counts.get(key)!.done.length > 1);
  const unexplained = doubled.filter((key) => !counts.get(key)!.done.includes(killedPid) || counts.get(key)!.done.length > 2);
  expect({ missing, unexplained }).toEqual({ missing: [], unexplained: [] });
  const cut = keys.filter((key) => counts.get(key)!.started.length > counts.get(key)!.done.length).length;

  // Beat: both APIs (and the restarted one) declared it; it exists once, and no slot ran twice (a slot
  // whose previous run still waits behind the backlog is skipped: the default overlap policy).
  const { schedules } = (await request(`${urls[1]}/schedules`, 'GET')).body as { schedules: Array<{ id: string }> };
  expect(schedules.filter((s) => s.id.startsWith('scale-beat')).map((s) => s.id)).toEqual(['scale-beat']);
  const beatRuns = [...counts.entries()].filter(([key]) => key.startsWith('scale-beat'));
  const elapsedS = (Date.now() - started) / 1000;
  expect(beatRuns.length).toBeGreaterThan(0);
  expect(beatRuns.length).toBeLessThanOrEqual(Math.ceil(elapsedS / 10) + 1);
  expect(beatRuns.filter(([, count]) => count.done.length > 1 && !count.done.includes(killedPid))).toEqual([]);

  console.log(
    `scale-out: ${TASKS} tasks and ${CANVASES} chords of ${HEADER} sent in ${sentS.toFixed(0)} s, all done in ${elapsedS.toFixed(0)} s; ` +
      `${doubled.length} ran twice (cut short on the killed worker after their work), ${cut} attempts cut short; ` +
      `${beatRuns.length} beat runs, none twice`,
  );
}, 30 * 60_000);

test('the same cluster restarted with TLS: the earlier tasks are still there, and new ones run over TLS', async () => {
  for (const proc of procs) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  await Promise.all(procs.map((proc) => proc.exited));
  // A private CA and a server certificate for 127.0.0.1, as a deployment's would be.
  const tls = (name: string) => path.join(dir, name);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=celerity-test-ca', '-keyout', tls('ca.key'), '-out', tls('ca.pem')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=temporal', '-keyout', tls('server.key'), '-out', tls('server.csr')]);
  const ext = tls('san.ext');
  await run('bash', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ${ext}`]);
  await run('openssl', ['x509', '-req', '-in', tls('server.csr'), '-CA', tls('ca.pem'), '-CAkey', tls('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', tls('server.pem')]);

  await cluster('stop');
  await cluster('start', { CLUSTER_TLS_CERT: tls('server.pem'), CLUSTER_TLS_KEY: tls('server.key'), CLUSTER_TLS_CA: tls('ca.pem') });
  const overTls = { TEMPORAL_TLS_SERVER_CA_CERT_PATH: tls('ca.pem'), TEMPORAL_TLS_SERVER_NAME: 'localhost' };
  const port = await freePort();
  const apiProc = spawnProcess(process.execPath, [MAIN, 'api', '-A', APP], env({ ...overTls, PORT: String(port) }));
  const workerProc = spawnProcess(process.execPath, [MAIN, 'worker', '-A', APP], env(overTls));
  procs.push(apiProc, workerProc);
  await Promise.all([apiProc.waitFor('API on', 120_000), workerProc.waitFor('worker serving', 120_000)]);
  const url = `http://127.0.0.1:${port}`;

  expect((await request(`${url}/tasks/chord-0`, 'GET')).body).toMatchObject({ state: 'SUCCESS', result: HEADER });
  const overTlsTask = { task: 'scale_count', args: ['over-tls'], options: { task_id: 'over-tls' } };
  await send(() => [url, url], overTlsTask, 0);
  expect((await request(`${url}/tasks/over-tls/result?timeout=60`, 'GET')).body).toMatchObject({ state: 'SUCCESS', result: 'over-tls' });

  // Without the CA, the same server refuses to be trusted: the connection really is TLS.
  const plain = spawnProcess(process.execPath, [MAIN, 'worker', '-A', APP], env({ TEMPORAL_TLS: 'true' }));
  procs.push(plain);
  expect(await plain.exited).not.toBe(0);
}, 10 * 60_000);
