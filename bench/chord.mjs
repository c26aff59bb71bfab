// Benchmark (CANVAS.md rule 19): a chord of N no-op members, sent over REST to a worker and an
// API running as their own processes against an in-memory Temporal dev server. Reports the
// wall time from POST to result and the peak memory (RSS, the process and its children,
// sampled every 250 ms) of the worker, the API and the Temporal server.
//
//   npm run build && node bench/chord.mjs [members=100000] [concurrency=200] [deadline_s=1800]
//
// The worker's and the API's own logs go to a temporary folder, named at the end.
import { findTemporalCli } from '../dist/src/temporal/cli.js';
import { freePort, startDevServer } from '../dist/src/temporal/dev-server.js';
import { LOG_DIR, newChildren, pids, sampleRss } from './lib/processes.mjs';
import { postTask, taskResult, startCelerity } from './peers/celerity.mjs';

const members = Number(process.argv[2] ?? 100_000);
const concurrency = Number(process.argv[3] ?? 200);
const deadlineS = Number(process.argv[4] ?? 1800);

const [cli, temporalPort] = await Promise.all([findTemporalCli({ install: false }), freePort()]);
const before = pids();
const server = await startDevServer({ cli, port: temporalPort, namespace: 'default' });
const [serverPid] = newChildren(before);
const celerity = await startCelerity(server, concurrency);
const rss = sampleRss({ worker: celerity.worker.pid, api: celerity.api.pid, temporal: serverPid });
try {
  // `identity` without an argument returns null: the cheapest task there is. The body gets
  // the list of N header results.
  const body = { chord: { header: Array.from({ length: members }, () => ({ task: 'identity' })), body: { task: 'identity' } } };
  const started = performance.now();
  const result = await taskResult(celerity.base, await postTask(celerity.base, body), deadlineS);
  const seconds = (performance.now() - started) / 1000;
  if (result.length !== members) throw new Error(`the body got ${result.length} results, not ${members}`);
  const peak = rss.stop();
  console.log(`| ${members} | ${concurrency} | ${seconds.toFixed(1)} s | ${Math.round(members / seconds)}/s | ${peak.worker} MB | ${peak.api} MB | ${peak.temporal} MB |`);
} catch (err) {
  const peak = rss.stop();
  console.log(`| ${members} | ${concurrency} | failed: ${err.message} | | ${peak.worker} MB | ${peak.api} MB | ${peak.temporal} MB |`);
  process.exitCode = 1;
} finally {
  console.error(`worker and API logs: ${LOG_DIR}`);
  await celerity.stop();
  await server.stop();
}
