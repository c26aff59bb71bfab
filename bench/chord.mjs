// Benchmark (CANVAS.md rule 19): a chord of N no-op members, sent over REST to a worker and an
// API running as their own processes against an in-memory Temporal dev server. Reports the
// wall time from POST to result and the peak memory (RSS, the process and its children,
// sampled every 250 ms) of the worker, the API and the Temporal server.
//
//   npm run build && node bench/chord.mjs [members=100000] [concurrency=200] [deadline_s=1800]
//
// The worker's and the API's own logs go to a temporary folder, named at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../dist/src/temporal/cli.js';
import { freePort, startDevServer } from '../dist/src/temporal/dev-server.js';

const members = Number(process.argv[2] ?? 100_000);
const concurrency = Number(process.argv[3] ?? 200);
const deadlineS = Number(process.argv[4] ?? 1800);
const MAIN = path.resolve(import.meta.dirname, '../dist/src/cli/main.js');

/** pid -> parent pid, for every process on the machine. */
function parents() {
  const map = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces; the fields after its closing parenthesis do not.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      map.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** RSS of a process and all its descendants, in MB. */
function treeRssMb(root, parentOf) {
  let kb = 0;
  for (const [pid] of parentOf) {
    for (let p = pid; p; p = parentOf.get(p)) {
      if (p === root) {
        kb += rssKb(pid);
        break;
      }
    }
  }
  return kb / 1024;
}

const [cli, temporalPort, apiPort] = await Promise.all([findTemporalCli({ install: false }), freePort(), freePort()]);
const before = new Set(parents().keys());
const server = await startDevServer({ cli, port: temporalPort, namespace: 'default' });
const serverPid = [...parents()].find(([pid, ppid]) => ppid === process.pid && !before.has(pid))?.[0];
const env = { ...process.env, TEMPORAL_ADDRESS: server.address, PORT: String(apiPort), CELERITY_WORKFLOW_QUEUE: 'bench', LOG_LEVEL: 'warn' };
const logs = mkdtempSync(path.join(os.tmpdir(), 'celerity-bench-'));
const log = (name) => openSync(path.join(logs, name), 'a');
const worker = spawn('node', [MAIN, 'worker', '-c', String(concurrency)], { env, stdio: ['ignore', log('worker.log'), log('worker.log')] });
const api = spawn('node', [MAIN, 'api'], { env, stdio: ['ignore', log('api.log'), log('api.log')] });
// Whatever ends the run, the worker, the API and the server end with it.
const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => abort.abort(new Error(`stopped by ${signal}`)));
const roles = { worker: worker.pid, api: api.pid, temporal: serverPid };
const peak = { worker: 0, api: 0, temporal: 0 };
const sampler = setInterval(() => {
  const parentOf = parents();
  for (const [role, pid] of Object.entries(roles)) peak[role] = Math.max(peak[role], treeRssMb(pid, parentOf));
}, 250);

const base = `http://127.0.0.1:${apiPort}`;
try {
  for (let ready = false; !ready; ) {
    ready = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // `identity` without an argument returns null: the cheapest task there is. The body gets
  // the list of N header results.
  const body = { chord: { header: Array.from({ length: members }, () => ({ task: 'identity' })), body: { task: 'identity' } } };
  const started = performance.now();
  const submitted = await fetch(`${base}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (submitted.status !== 202) throw new Error(`POST /tasks answered ${submitted.status}: ${await submitted.text()}`);
  const { id } = await submitted.json();
  let task;
  do {
    if (abort.signal.aborted) throw abort.signal.reason;
    if (performance.now() - started > deadlineS * 1000) throw new Error(`not ready after ${deadlineS} s`);
    task = await (await fetch(`${base}/tasks/${id}/result?timeout=10`, { signal: abort.signal })).json();
  } while (!['SUCCESS', 'FAILURE', 'REVOKED'].includes(task.state));
  const seconds = (performance.now() - started) / 1000;
  if (task.state !== 'SUCCESS') throw new Error(`the chord ended ${task.state}: ${JSON.stringify(task.error)}`);
  if (task.result.length !== members) throw new Error(`the body got ${task.result.length} results, not ${members}`);
  const mb = (role) => `${Math.round(peak[role])} MB`;
  console.log(`| ${members} | ${concurrency} | ${seconds.toFixed(1)} s | ${Math.round(members / seconds)}/s | ${mb('worker')} | ${mb('api')} | ${mb('temporal')} |`);
} catch (err) {
  console.log(`| ${members} | ${concurrency} | failed: ${err.message} | | ${Math.round(peak.worker)} MB | ${Math.round(peak.api)} MB | ${Math.round(peak.temporal)} MB |`);
  process.exitCode = 1;
} finally {
  console.error(`worker and API logs: ${logs}`);
  clearInterval(sampler);
  worker.kill('SIGTERM');
  api.kill('SIGTERM');
  await Promise.all([worker, api].map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)))));
  await server.stop();
}
