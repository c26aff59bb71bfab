// How long `celerity worker` takes from spawn to serving, bundling the workflow code at start
// against loading a bundle made once by `celerity bundle` (issue 14: production images prebuild it).
//   npm run build && node bench/worker-start.mjs [runs=5]
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../dist/src/temporal/cli.js';
import { freePort, startDevServer } from '../dist/src/temporal/dev-server.js';
import { LOG_DIR } from './lib/processes.mjs';

const runs = Number(process.argv[2] ?? 5);
const main = path.resolve('dist/src/cli/main.js');
const server = await startDevServer({ cli: await findTemporalCli({ install: false }), port: await freePort(), namespace: 'default' });
const env = { ...process.env, TEMPORAL_ADDRESS: server.address, CELERITY_WORKER_SHUTDOWN_GRACE: '0' };
const bundle = path.join(LOG_DIR, 'workflow-bundle.js');
execFileSync(process.execPath, [main, 'bundle', '-o', bundle], { env, stdio: 'ignore' });

/** Milliseconds from spawn to the worker's "serving" line. */
function startOnce(args) {
  const started = performance.now();
  const child = spawn(process.execPath, [main, 'worker', ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let served;
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      if (served !== undefined || !String(chunk).includes('worker serving')) return;
      served = performance.now() - started;
      child.kill('SIGKILL');
    });
    child.once('exit', (code) => (served === undefined ? reject(new Error(`the worker exited (code ${code}) before serving`)) : resolve(served)));
  });
}

try {
  for (const [variant, args] of [['bundled at start', []], ['prebuilt bundle', ['--workflow-bundle', bundle]]]) {
    const ms = [];
    for (let i = 0; i < runs; i++) ms.push(await startOnce(args));
    ms.sort((a, b) => a - b);
    console.log(JSON.stringify({ scenario: 'worker-start', variant, runs, median_ms: Math.round(ms[Math.floor(runs / 2)]), min_ms: Math.round(ms[0]), max_ms: Math.round(ms[runs - 1]), load: os.loadavg()[0].toFixed(2) }));
  }
} finally {
  await server.stop();
}
