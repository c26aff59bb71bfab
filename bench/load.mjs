// Load (issue 13): N `POST /tasks` of `add(i, i)` at a concurrency of C with autocannon, against a
// worker (-c 100) and an API as their own processes and a file-backed Temporal dev server (as
// `npm start` runs it). Checks that no answer is a 5xx (nor anything but 202), then that every
// task completes, by Temporal's visibility counts (`GET /tasks/stats`); reports the API's peak RSS
// (with its children, every 250 ms) and the load average. Prints one JSON line.
//
//   npm run build && node bench/load.mjs [requests=10000] [concurrency=100] [deadline_s=1800]
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { findTemporalCli } from '../dist/src/temporal/cli.js';
import { freePort, startDevServer } from '../dist/src/temporal/dev-server.js';
import { LOG_DIR, newChildren, pids, sampleRss, sleep } from './lib/processes.mjs';
import { startCelerity } from './peers/celerity.mjs';

const requests = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 100);
const deadlineS = Number(process.argv[4] ?? 1800);
const loadAverage = () => os.loadavg()[0].toFixed(2);

/** Polls the visibility counts until `n` tasks are ready; the counts and the seconds it took. */
async function allReady(base, n, started) {
  const deadline = performance.now() + deadlineS * 1000;
  for (;;) {
    const stats = await (await fetch(`${base}/tasks/stats`)).json();
    const { SUCCESS, FAILURE, REVOKED } = stats.by_state;
    if (SUCCESS + FAILURE + REVOKED >= n) return { stats, seconds: (performance.now() - started) / 1000 };
    if (performance.now() > deadline) throw new Error(`${n - SUCCESS - FAILURE - REVOKED} task(s) not ready after ${deadlineS} s: ${JSON.stringify(stats.by_state)}`);
    await sleep(1000);
  }
}

const cli = await findTemporalCli({ install: false });
const before = pids();
const server = await startDevServer({ cli, port: await freePort(), namespace: 'default', dbFile: path.join(LOG_DIR, 'temporal.db'), logFile: path.join(LOG_DIR, 'temporal.log') });
const [serverPid] = newChildren(before);
const celerity = await startCelerity(server, 100);
const rss = sampleRss({ api: celerity.api.pid, worker: celerity.worker.pid, temporal: serverPid });
const line = { scenario: 'load', requests, concurrency, load_average_start: loadAverage() };
try {
  const started = performance.now();
  const statuses = {};
  const run = await autocannon({
    url: `${celerity.base}/tasks`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ task: 'add', args: [1, 1] }),
    connections: concurrency,
    amount: requests,
    timeout: 60,
    setupClient: (client) => client.on('response', (status) => (statuses[status] = (statuses[status] ?? 0) + 1)),
  });
  Object.assign(line, {
    submit_seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    statuses,
    errors: run.errors,
    timeouts: run.timeouts,
    req_per_s: Math.round(run.requests.average),
    p50_ms: run.latency.p50,
    p99_ms: run.latency.p99,
    max_ms: run.latency.max,
  });
  const accepted = statuses[202] ?? 0;
  if (accepted !== requests || run.errors) throw new Error(`${requests - accepted} of ${requests} not answered 202 (${JSON.stringify(statuses)}, ${run.errors} errors)`);
  const { stats, seconds } = await allReady(celerity.base, requests, started);
  Object.assign(line, { total_tasks: stats.total, by_state: stats.by_state, all_done_seconds: Number(seconds.toFixed(1)) });
  if (stats.total !== requests || stats.by_state.SUCCESS !== requests) throw new Error(`expected ${requests} tasks, all SUCCESS: ${JSON.stringify(stats)}`);
} catch (err) {
  line.error = err.message;
  process.exitCode = 1;
} finally {
  const peak = rss.stop();
  Object.assign(line, { api_peak_rss_mb: peak.api, worker_peak_rss_mb: peak.worker, temporal_peak_rss_mb: peak.temporal, load_average_end: loadAverage() });
  console.log(JSON.stringify(line));
  console.error(`worker, API and server logs: ${LOG_DIR}`);
  await celerity.stop();
  await server.stop();
}
