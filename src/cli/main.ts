#!/usr/bin/env node
/** The `celerity` command. */
import { Command } from 'commander';
import { registry } from '../../activities/index.js';
import { startApi } from '../api/server.js';
import { loadConfig } from '../config.js';
import { findTemporalCli } from '../temporal/cli.js';
import { installSdkLogging, startWorker } from '../worker/worker.js';
import { runDev } from './dev.js';

installSdkLogging();

const program = new Command('celerity').description('A Celery-style task queue for TypeScript, made durable by Temporal');

program
  .command('dev')
  .description('run everything: the Temporal dev server (unless TEMPORAL_ADDRESS is set), a worker and the API')
  .action(() => runDev(loadConfig()));

program
  .command('provision')
  .description('find the Temporal CLI for the embedded server, installing it if needed, and print its path')
  .action(async () => {
    console.log(await findTemporalCli({ install: true, log: (m) => console.error(`[celerity] ${m}`) }));
  });

program
  .command('worker')
  .description('run a worker (Celery: celery worker)')
  .option('-Q, --queues <queues>', 'comma-separated queues to serve', 'celery')
  .option('-c, --concurrency <n>', 'tasks run at once per queue', (v) => positiveInt('concurrency', v), 10)
  .action(async (options: { queues: string; concurrency: number }) => {
    const worker = await startWorker(loadConfig(), registry, {
      queues: options.queues.split(',').map((q) => q.trim()).filter(Boolean),
      concurrency: options.concurrency,
    });
    console.log(`[celerity] worker serving queues ${worker.queues.join(', ')}`);
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => worker.shutdown());
    await worker.stopped;
  });

program
  .command('api')
  .description('serve the REST API')
  .action(async () => {
    const api = await startApi(loadConfig(), registry);
    console.log(`[celerity] API on ${api.url} (Swagger UI at ${api.url}/docs)`);
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void api.close());
  });

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
  return n;
}

program.parseAsync().catch((err: Error) => {
  console.error(`celerity: ${err.message}`);
  process.exit(1);
});
