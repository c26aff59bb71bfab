// `celerity worker` or `celerity api` (argv[2]) as src/cli/main.ts runs them, with the fault
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
 * Sleeps `seconds` (stopping when cancelled), recording its start and its end; returns `key`.
 * `how`: `reason` rejects with the signal's reason; `abort` as Node's APIs do, with an AbortError.
 */
const countedSleep = defineTask('fault_sleep', { params: ['key', 'seconds', 'how'] }, async (key, seconds, how = 'reason') => {
  record('start', key);
  const { signal } = currentTask();
  if (how === 'abort') await sleep(seconds * 1000, undefined, { signal });
  else {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, seconds * 1000);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  }
  record('done', key);
  return key;
});

/** Adds, recording each execution: the chord's members. */
const countedAdd = defineTask('fault_add', { params: ['key', 'x', 'y'] }, (key, x, y) => {
  record('done', key);
  return x + y;
});

const sum = defineTask('fault_sum', { params: ['numbers'] }, (numbers) => numbers.reduce((a, b) => a + b, 0));

export const registry = new TaskRegistry([countedSleep, countedAdd, sum]);

const config = loadConfig();
const log = (message) => console.log(`[celerity] ${message}`);
if (process.argv[2] === 'worker') {
  installRuntime();
  const worker = await startWorker(config, registry, {
    shutdownGraceS: config.workerShutdownGraceS,
    concurrency: 100,
    ...(process.env.CELERITY_TEST_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.CELERITY_TEST_WORKFLOW_BUNDLE } } : {}),
  });
  log(`worker serving queues ${worker.queues.join(', ')}`);
  shutdownOnSignals({ worker, graceS: config.workerShutdownGraceS, log });
  await worker.stopped;
} else {
  const api = await startApi(config, registry, true);
  log(`API on ${api.url}`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void api.close());
}
