#!/usr/bin/env node
/** The `celerity` command. */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { CliError, EXIT } from './api-client.js';
import { addClientCommands } from './client-commands.js';
import { addSetupCommand } from './setup.js';

/** Nest, the Temporal SDK and the tasks load only for the commands that run them, so that `call` starts at once. */
async function serverSide(runtime: { metricsPort?: number } = {}) {
  const [{ registry }, { startApi }, { installRuntime, startWorker }, { runDev, syncBeat }] = await Promise.all([
    import('../../activities/index.js'),
    import('../api/server.js'),
    import('../worker/worker.js'),
    import('./dev.js'),
  ]);
  installRuntime(runtime);
  return { registry, startApi, startWorker, runDev, syncBeat };
}

// Commander prints its own usage errors; exitOverride lets a script tell them apart (exit 2).
// Set before the commands are added, which inherit it.
const program = new Command('celerity').description('A Celery-style task queue for TypeScript, made durable by Temporal').exitOverride();

program
  .command('dev')
  .description('run everything: the Temporal dev server (unless TEMPORAL_ADDRESS is set), a worker and the API')
  .action(async () => {
    const config = loadConfig();
    const { runDev } = await serverSide({ metricsPort: config.workerMetricsPort });
    await runDev(config);
  });

program
  .command('provision')
  .description('find the Temporal CLI for the embedded server, installing it if needed, and print its path')
  .action(async () => {
    const { findTemporalCli } = await import('../temporal/cli.js');
    console.log(await findTemporalCli({ install: true, log: (m) => console.error(`[celerity] ${m}`) }));
  });

program
  .command('worker')
  .description('run a worker (Celery: celery worker)')
  .option('-Q, --queues <queues>', 'comma-separated queues to serve', 'celery')
  .option('-c, --concurrency <n>', 'tasks run at once per queue', (v) => positiveInt('concurrency', v), 10)
  .option('--metrics-port <port>', 'serve Prometheus metrics (SDK and task outcomes) on this port; default CELERITY_WORKER_METRICS_PORT', (v) => positiveInt('metrics-port', v))
  .action(async (options: { queues: string; concurrency: number; metricsPort?: number }) => {
    const config = loadConfig();
    const { registry, startWorker } = await serverSide({ metricsPort: options.metricsPort ?? config.workerMetricsPort });
    const worker = await startWorker(config, registry, {
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
    const { registry, startApi, syncBeat } = await serverSide();
    const api = await startApi(loadConfig(), registry);
    await syncBeat(api, (message) => console.log(`[celerity] ${message}`));
    console.log(`[celerity] API on ${api.url} (Swagger UI at ${api.url}/docs)`);
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void api.close());
  });

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--${name} must be a positive whole number`);
  return n;
}

addSetupCommand(program);
addClientCommands(program);

program.parseAsync().catch((err: Error) => {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : EXIT.REJECTED);
  console.error(`celerity: ${err.message}`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
});
