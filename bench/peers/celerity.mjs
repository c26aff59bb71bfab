// Celerity's scenarios: a worker and the API as their own processes (as they scale out), against
// the dev server the run shares with the raw SDK baseline, measured over REST and through the
// TypeScript client; B1 and B2 also against `celerity dev` (what `npm start` runs: the worker and
// the API in one process, which starts workflows eagerly).
import path from 'node:path';
import autocannon from 'autocannon';
import { registry } from '../../dist/activities/index.js';
import { CelerityClient } from '../../dist/src/client/client.js';
import { isReady } from '../../dist/src/client/state.js';
import { connectClient } from '../../dist/src/temporal/connection.js';
import { freePort } from '../../dist/src/temporal/dev-server.js';
import { expectedSum, sequentialLatency, throughput, timed } from '../lib/measure.mjs';
import { sampleRss, start, stop, stopped, unlessExited, waitUntil } from '../lib/processes.mjs';

const MAIN = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');
const WORKFLOW_QUEUE = 'celerity';

/**
 * The environment of Celerity's processes against `server`. `heapMb`: V8's old space cap
 * (`--max-old-space-size`); without one, V8 sizes it from the machine's memory and collects
 * garbage late (bench/README.md, worker memory).
 */
function celerityEnv(server, port, queue, heapMb) {
  const nodeOptions = [process.env.NODE_OPTIONS, heapMb && `--max-old-space-size=${heapMb}`].filter(Boolean).join(' ');
  return { ...process.env, TEMPORAL_ADDRESS: server.address, PORT: String(port), CELERITY_WORKFLOW_QUEUE: queue, LOG_LEVEL: 'warn', ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
}

/** Starts the worker (`-c concurrency`) and the API against `server`; `stop()` ends both. */
export async function startCelerity(server, concurrency, heapMb) {
  const port = await freePort();
  const env = celerityEnv(server, port, WORKFLOW_QUEUE, heapMb);
  const worker = start('celerity-worker', 'node', [MAIN, 'worker', '-c', String(concurrency)], { env });
  const api = start('celerity-api', 'node', [MAIN, 'api'], { env });
  const base = `http://127.0.0.1:${port}`;
  await unlessExited(api, waitUntil('the API', async () => (await fetch(`${base}/health`)).ok));
  return { base, worker, api, stop: () => Promise.all([stop(worker), stop(api)]) };
}

/** POST /tasks; gives the new task's id. */
export async function postTask(base, body) {
  const response = await fetch(`${base}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: stopped.signal });
  if (response.status !== 202) throw new Error(`POST /tasks answered ${response.status}: ${await response.text()}`);
  return (await response.json()).id;
}

/** Long-polls `GET /tasks/{id}/result` until the task is ready; throws unless it succeeded. */
export async function taskResult(base, id, deadlineS = 1800) {
  const deadline = performance.now() + deadlineS * 1000;
  for (;;) {
    if (performance.now() > deadline) throw new Error(`${id} not ready after ${deadlineS} s`);
    const task = await (await fetch(`${base}/tasks/${id}/result?timeout=10`, { signal: stopped.signal })).json();
    if (!isReady(task.state)) continue;
    if (task.state !== 'SUCCESS') throw new Error(`${id} ended ${task.state}: ${JSON.stringify(task.error)}`);
    return task.result;
  }
}

const add = (i) => ({ task: 'add', args: [i, i] });

/** B1 and B2 over REST, against `base`. */
const restLatency = (base, sizes) => sequentialLatency(async (i) => taskResult(base, await postTask(base, add(i))), sizes.b1);
const restThroughput = (base, sizes) => throughput({ count: sizes.b2, concurrency: 50, submit: (i) => postTask(base, add(i)), result: (id) => taskResult(base, id) });

/** B1 and B2 against `celerity dev` on `server` (without a dev server of its own: TEMPORAL_ADDRESS is set). */
async function runOneProcess({ server, sizes, record, heapMb }) {
  const port = await freePort();
  const dev = start('celerity-dev', 'node', [MAIN, 'dev'], { env: celerityEnv(server, port, 'celerity-dev', heapMb) });
  const base = `http://127.0.0.1:${port}`;
  try {
    await unlessExited(dev, waitUntil('celerity dev', async () => (await fetch(`${base}/health`)).ok));
    for (const [scenario, measure] of [['B1', restLatency], ['B2', restThroughput]]) {
      await record(scenario, 'Celerity, REST, one process', () => unlessExited(dev, measure(base, sizes)));
    }
  } finally {
    await stop(dev);
  }
}

/** A chord's wall time from POST to its body's result. */
async function chord(base, header, n, check) {
  const { seconds, value } = await timed(async () => taskResult(base, await postTask(base, { chord: { header, body: { task: 'xsum' } } })));
  check(value);
  return { n, seconds, tasks_per_s: Math.round(n / seconds) };
}
const sumOf = (n) => (value) => {
  if (value !== expectedSum(n)) throw new Error(`the chord's sum is ${JSON.stringify(value)?.slice(0, 80)}, not ${expectedSum(n)}`);
};

/**
 * Every Celerity scenario, each a line; `record` gets each line as soon as it is measured.
 * B4 runs last, with the worker stopped: it measures what POST /tasks can take, and the tasks it
 * sends would otherwise queue behind the next scenario.
 */
export async function runCelerity({ server, serverPid, sizes, record, heapMb }) {
  await runOneProcess({ server, sizes, record, heapMb });
  const celerity = await startCelerity(server, 100, heapMb);
  const rss = sampleRss({ api: celerity.api.pid, worker: celerity.worker.pid, temporal: serverPid });
  const temporal = await connectClient({ temporalAddress: server.address, namespace: 'default' });
  const client = new CelerityClient({ client: temporal, registry, workflowQueue: WORKFLOW_QUEUE });
  const { base } = celerity;
  const scenarios = [
    ['B1', 'Celerity, REST', () => restLatency(base, sizes)],
    ['B1', 'Celerity, TypeScript client', () => sequentialLatency(async (i) => client.waitResult((await client.applyAsync(add(i))).task.id, 60), sizes.b1)],
    ['B2', 'Celerity, REST', () => restThroughput(base, sizes)],
    ['B3', 'Celerity', () => chord(base, Array.from({ length: sizes.b3 }, (_, i) => add(i)), sizes.b3, sumOf(sizes.b3))],
    // Celerity's example `xsum` does not flatten the chunks' lists, so only the body's success is checked.
    ['B3c', 'Celerity', () => chord(base, { chunks: { task: { task: 'add' }, it: Array.from({ length: sizes.b3c }, (_, i) => [i, i]), n: 100 } }, sizes.b3c, () => undefined)],
    ['B5', 'Celerity', () => chord(base, Array.from({ length: sizes.b5 }, (_, i) => add(i)), sizes.b5, sumOf(sizes.b5))],
  ];
  try {
    for (const [scenario, variant, measure] of scenarios) {
      if (scenario === 'B5' && !sizes.b5) continue;
      await record(scenario, variant, () => unlessExited(celerity.worker, unlessExited(celerity.api, measure())));
    }
    await stop(celerity.worker);
    await record('B4', 'Celerity, POST /tasks', () => postRate(base, sizes.b4Seconds));
    await record('RSS', 'Celerity', async () => {
      const peak = rss.stop();
      return { api_mb: peak.api, worker_mb: peak.worker, temporal_mb: peak.temporal };
    });
  } finally {
    rss.stop();
    await temporal.connection.close();
    await celerity.stop();
  }
}

/** B4: autocannon, 50 connections sending `add(1, 1)` for `seconds`. */
async function postRate(base, seconds) {
  const run = await autocannon({
    url: `${base}/tasks`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(add(1)),
    connections: 50,
    duration: seconds,
  });
  if (run.errors || run.non2xx) throw new Error(`${run.errors} errors and ${run.non2xx} answers other than 2xx out of ${run.requests.sent}`);
  return { req_per_s: Math.round(run.requests.average), n: run.requests.total, p50_ms: run.latency.p50, p97_5_ms: run.latency.p97_5, p99_ms: run.latency.p99 };
}
