// `celerity worker`, `celerity api`, or both in one process as `celerity dev` runs them without a
// dev server of its own (argv[2]: worker, api, dev), with the fault
// tests' registry: tasks that count their own executions in CELERITY_FAULT_COUNT_FILE, outside
// Temporal. Runs the built dist/ code in a real process, so that a kill -9 means something.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApi } from '../../../dist/src/api/server.js';
import { loadConfig } from '../../../dist/src/config.js';
import { currentTask, defineTask, TaskRegistry } from '../../../dist/src/tasks/index.js';
import { shutdownOnSignals } from '../../../dist/src/worker/shutdown.js';
import { installRuntime, startWorker } from '../../../dist/src/worker/worker.js';

const record = (event, key) => appendFileSync(process.env.CELERITY_FAULT_COUNT_FILE, `${event} ${key} ${process.pid}\n`);

/**
 * Sleeps `seconds`, stopping when the task is cancelled: `how` `reason` rejects with the signal's
 * reason; `abort` as Node's APIs do, with an AbortError.
 */
async function sleepUnlessCancelled(seconds, how = 'reason') {
  const { signal } = currentTask();
  if (how === 'abort') return sleep(seconds * 1000, undefined, { signal });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/** Sleeps `seconds` (see sleepUnlessCancelled), recording its start and its end; returns `key`. */
const countedSleep = defineTask('fault_sleep', { params: ['key', 'seconds', 'how'] }, async (key, seconds, how) => {
  record('start', key);
  await sleepUnlessCancelled(seconds, how);
  record('done', key);
  return key;
});

/** Adds after `seconds`, recording its start and its end: members that stay in flight a while. */
const countedSlowAdd = defineTask('fault_slow_add', { params: ['key', 'x', 'y', 'seconds'] }, async (key, x, y, seconds) => {
  record('start', key);
  await sleepUnlessCancelled(seconds);
  record('done', key);
  return x + y;
});

/** Adds, recording each execution: the chord's members. */
const countedAdd = defineTask('fault_add', { params: ['key', 'x', 'y'] }, (key, x, y) => {
  record('done', key);
  return x + y;
});

const sum = defineTask('fault_sum', { params: ['numbers'] }, (numbers) => numbers.reduce((a, b) => a + b, 0));

export const registry = new TaskRegistry([countedSleep, countedSlowAdd, countedAdd, sum]);

const config = loadConfig();
const log = (message) => console.log(`[celerity] ${message}`);
const role = process.argv[2];
if (role === 'worker' || role === 'dev') {
  installRuntime();
  const worker = await startWorker(config, registry, {
    shutdownGraceS: config.workerShutdownGraceS,
    concurrency: Number(process.env.CELERITY_FAULT_CONCURRENCY ?? 100),
    ...(process.env.CELERITY_TEST_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.CELERITY_TEST_WORKFLOW_BUNDLE } } : {}),
  });
  log(`worker serving queues ${worker.queues.join(', ')}`);
  // As `celerity dev` does: the API starts workflows eagerly on the worker's connection.
  const api = role === 'dev' ? await startApi(config, registry, true, worker.connection) : undefined;
  if (api) log(`API on ${api.url}`);
  shutdownOnSignals({ worker, graceS: config.workerShutdownGraceS, log, before: () => api?.close() });
  await worker.stopped;
} else {
  const api = await startApi(config, registry, true);
  log(`API on ${api.url}`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void api.close());
}
