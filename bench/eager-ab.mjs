// Eager workflow start, A/B: one worker, two APIs beside it in this process (as `celerity dev`
// runs them), one starting workflows eagerly on the worker's connection and one not, against an
// in-memory dev server. Requests alternate between them; the first 20 of each are warm-up.
//
//   npm run build && node bench/eager-ab.mjs [tasks=300]
import { registry } from '../dist/activities/index.js';
import { startApi } from '../dist/src/api/server.js';
import { loadConfig } from '../dist/src/config.js';
import { findTemporalCli } from '../dist/src/temporal/cli.js';
import { freePort, startDevServer } from '../dist/src/temporal/dev-server.js';
import { installRuntime, startWorker } from '../dist/src/worker/worker.js';
import { latencyStats } from './lib/measure.mjs';

const tasks = Number(process.argv[2] ?? 300);
const WARM_UP = 20;
installRuntime();
const server = await startDevServer({ cli: await findTemporalCli({ install: false }), port: await freePort(), namespace: 'default' });
const config = { ...loadConfig({}), temporalAddress: server.address, workflowQueue: 'eager-ab', port: 0 };
const worker = await startWorker(config, registry);
const apis = { eager: await startApi(config, registry, true, worker.connection), 'not eager': await startApi(config, registry, true) };
const samples = Object.fromEntries(Object.keys(apis).map((name) => [name, { post: [], result: [], total: [] }]));
try {
  for (let i = 0; i < tasks; i++) {
    for (const [name, api] of Object.entries(apis)) {
      const started = performance.now();
      const sent = await fetch(`${api.url}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: 'add', args: [i, i] }) });
      const { id } = await sent.json();
      const posted = performance.now();
      const { state } = await (await fetch(`${api.url}/tasks/${id}/result?timeout=10`)).json();
      if (state !== 'SUCCESS') throw new Error(`${id} ended ${state}`);
      if (i < WARM_UP) continue;
      const mine = samples[name];
      mine.post.push(posted - started);
      mine.result.push(performance.now() - posted);
      mine.total.push(performance.now() - started);
    }
  }
  for (const [name, mine] of Object.entries(samples)) {
    const [post, result, total] = [mine.post, mine.result, mine.total].map(latencyStats);
    console.log(JSON.stringify({ scenario: 'eager-ab', variant: name, n: total.n, post_p50_ms: post.p50_ms, result_p50_ms: result.p50_ms, p50_ms: total.p50_ms, p95_ms: total.p95_ms }));
  }
} finally {
  await Promise.all(Object.values(apis).map((api) => api.close()));
  worker.shutdown();
  await worker.stopped;
  await server.stop();
}
