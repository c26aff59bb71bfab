// Celerity on the real Temporal cluster (scripts/cluster.sh: Temporal Server 1.32.0 on
// PostgreSQL, 4 history shards) next to the embedded dev server, in one run: B1 latency and B2
// throughput over REST with 1, 2 and 3 worker processes, and the CPU seconds each role used
// during B2 (the cluster's server: Temporal and PostgreSQL), which shows where the bottleneck is
// (issue 14).
//   npm run build && node bench/cluster.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../dist/src/temporal/cli.js';
import { freePort, startDevServer } from '../dist/src/temporal/dev-server.js';
import { sequentialLatency, throughput } from './lib/measure.mjs';
import { LOG_DIR, newChildren, pids, sleep, start, stop, treeCpuSeconds } from './lib/processes.mjs';
import { postTask, startCelerity, taskResult } from './peers/celerity.mjs';

const quick = process.argv.includes('--quick');
const sizes = quick ? { b1: 30, b2: 300 } : { b1: 100, b2: 1000 };
const MAIN = path.resolve(import.meta.dirname, '../dist/src/cli/main.js');
const ROOT = path.resolve(import.meta.dirname, '..');
const clusterEnv = { ...process.env, CELERITY_CLUSTER_DIR: path.join(LOG_DIR, 'cluster') };
const add = (i) => ({ task: 'add', args: [i, i] });
const line = (fields) => console.log(JSON.stringify({ ...fields, load: os.loadavg()[0].toFixed(2) }));

/** Measures B1 and B2 on `server` with `workers` worker processes (each `-c 100`). */
async function measure(target, server, serverPids, workers) {
  const celerity = await startCelerity(server, 100);
  const env = { ...process.env, TEMPORAL_ADDRESS: server.address, CELERITY_WORKFLOW_QUEUE: 'celerity', LOG_LEVEL: 'warn' };
  const extra = Array.from({ length: workers - 1 }, (_, k) => start(`celerity-worker-${k + 2}`, 'node', [MAIN, 'worker', '-c', '100'], { env }));
  try {
    // Every worker polling before the clock starts.
    await sleep(3000);
    line({ scenario: 'B1', target, workers, ...(await sequentialLatency(async (i) => taskResult(celerity.base, await postTask(celerity.base, add(i))), sizes.b1)) });
    const roles = { server: serverPids, api: [celerity.api.pid], workers: [celerity.worker, ...extra].map((w) => w.pid) };
    const cpu = () => Object.fromEntries(Object.entries(roles).map(([role, list]) => [role, list.reduce((sum, pid) => sum + treeCpuSeconds(pid), 0)]));
    const before = cpu();
    const b2 = await throughput({ count: sizes.b2, concurrency: 50, submit: (i) => postTask(celerity.base, add(i)), result: (id) => taskResult(celerity.base, id) });
    const after = cpu();
    const used = Object.fromEntries(Object.keys(after).map((role) => [`cpu_s_${role}`, Math.round((after[role] - before[role]) * 10) / 10]));
    line({ scenario: 'B2', target, workers, ...b2, ...used, cpu_s_available: Math.round(b2.seconds * os.cpus().length * 10) / 10 });
  } finally {
    await Promise.all([celerity.stop(), ...extra.map((w) => stop(w))]);
  }
}

const before = pids();
const embedded = await startDevServer({
  cli: await findTemporalCli({ install: false }), port: await freePort(), namespace: 'default', dbFile: path.join(LOG_DIR, 'temporal.db'),
});
const [embeddedPid] = newChildren(before);
try {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/cluster.sh'), 'start'], { env: clusterEnv, encoding: 'utf8' });
  const cluster = { address: /TEMPORAL_ADDRESS=(\S+)/.exec(out)[1] };
  const pidOf = (file) => Number(readFileSync(path.join(clusterEnv.CELERITY_CLUSTER_DIR, file), 'utf8'));
  const clusterPids = [pidOf('temporal.pid'), pidOf('postgres.pid')];
  for (const workers of [1, 2, 3]) {
    await measure('embedded', embedded, [embeddedPid], workers);
    await measure('cluster', cluster, clusterPids, workers);
  }
} finally {
  await embedded.stop();
  execFileSync('bash', [path.join(ROOT, 'scripts/cluster.sh'), 'destroy'], { env: clusterEnv, stdio: 'ignore' });
}
