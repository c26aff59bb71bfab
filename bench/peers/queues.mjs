// Celery and BullMQ, each with its worker as its own process on the run's Redis server.
import os from 'node:os';
import path from 'node:path';
import { runDriver } from '../lib/driver.mjs';
import { sampleRss, start, stop } from '../lib/processes.mjs';
import { PYTHON } from './redis.mjs';

const BENCH = path.resolve(import.meta.dirname, '..');

/** Celery 5 from Debian: a prefork worker with one process per core, as `celery worker` defaults to. */
export async function runCelery(redis, sizes) {
  // No __pycache__ left in the source tree.
  const env = { ...process.env, BENCH_REDIS_URL: redis.url, PYTHONPATH: path.join(BENCH, 'celery'), PYTHONDONTWRITEBYTECODE: '1' };
  const args = ['-m', 'celery', '-A', 'tasks', 'worker', '-c', String(os.cpus().length), '-l', 'warning', '--without-gossip', '--without-mingle'];
  const worker = start('celery-worker', PYTHON, args, { env, cwd: path.join(BENCH, 'celery') });
  return withWorker('Celery', worker, () => runDriver('celery-driver', PYTHON, [path.join(BENCH, 'celery/driver.py'), JSON.stringify(sizes)], { env }));
}

/** BullMQ: a worker running 50 jobs at once (its jobs are promises, like Celerity's activities). */
export async function runBullmq(redis, sizes) {
  const worker = start('bullmq-worker', 'node', [path.join(BENCH, 'bullmq/worker.mjs'), String(redis.port), '50']);
  return withWorker('BullMQ', worker, () =>
    runDriver('bullmq-driver', 'node', [path.join(BENCH, 'bullmq/driver.mjs'), JSON.stringify({ port: redis.port, ...sizes })]),
  );
}

/** Runs the driver while the worker runs; the lines carry the worker's peak RSS. */
async function withWorker(peer, worker, drive) {
  const rss = sampleRss({ worker: worker.pid });
  try {
    const lines = await drive();
    const peak = rss.stop();
    return [...lines, { scenario: 'RSS', variant: peer, worker_mb: peak.worker }];
  } finally {
    rss.stop();
    await stop(worker);
  }
}
