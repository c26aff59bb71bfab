#!/usr/bin/env node
/** The `celerity` command. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { CliError, EXIT } from './api-client.js';
import { addClientCommands } from './client-commands.js';
import { addSetupCommand } from './setup.js';

/** Nest, the Temporal SDK and the app load only for the commands that run them, so that `call` starts at once. */
async function serverSide(appOption: string | undefined, runtime: { metricsPort?: number } = {}) {
  const [{ appModulePath, loadApp }, { startApi }, { installRuntime, startWorker }, { appWorkflows, bundleWorkflows }, { shutdownOnSignals }, { runDev, syncBeat }] =
    await Promise.all([
      import('../app.js'),
      import('../api/server.js'),
      import('../worker/worker.js'),
      import('../worker/app-workflows.js'),
      import('../worker/shutdown.js'),
      import('./dev.js'),
    ]);
  installRuntime(runtime);
  const app = await loadApp(appModulePath(appOption));
  return { app, startApi, startWorker, appWorkflows, bundleWorkflows, shutdownOnSignals, runDev, syncBeat };
}

const APP_OPTION = ['-A, --app <module>', 'the app module (Celery: -A proj); default CELERITY_APP, else "celerity.app" in ./package.json'] as const;

// Commander prints its own usage errors; exitOverride lets a script tell them apart (exit 2).
// Set before the commands are added, which inherit it.
const program = new Command('celerity').description('A Celery-style task queue for TypeScript, made durable by Temporal').exitOverride();

program
  .command('dev')
  .description('run everything: the Temporal dev server (unless TEMPORAL_ADDRESS is set), a worker and the API')
  .option(...APP_OPTION)
  .action(async (options: { app?: string }) => {
    const config = loadConfig();
    const { app, runDev } = await serverSide(options.app, { metricsPort: config.workerMetricsPort });
    await runDev(config, app);
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
  .option(...APP_OPTION)
  .option('--shutdown-grace <seconds>', 'on SIGTERM/SIGINT, how long running tasks get to finish before they are retried elsewhere; default CELERITY_WORKER_SHUTDOWN_GRACE or 30', (v) => wholeNumber('shutdown-grace', v))
  .option('--workflow-bundle <file>', 'load the workflow code from this bundle (`celerity bundle`) instead of bundling it at start; default CELERITY_WORKFLOW_BUNDLE')
  .action(async (options: { queues: string; concurrency: number; metricsPort?: number; app?: string; shutdownGrace?: number; workflowBundle?: string }) => {
    const config = loadConfig();
    const { app, startWorker, appWorkflows, shutdownOnSignals } = await serverSide(options.app, { metricsPort: options.metricsPort ?? config.workerMetricsPort });
    const graceS = options.shutdownGrace ?? config.workerShutdownGraceS;
    const worker = await startWorker(config, app.registry, {
      queues: options.queues.split(',').map((q) => q.trim()).filter(Boolean),
      concurrency: options.concurrency,
      shutdownGraceS: graceS,
      ...(await appWorkflows(app, config.encryption, options.workflowBundle ? path.resolve(options.workflowBundle) : config.workflowBundle)),
    });
    const log = (message: string) => console.log(`[celerity] ${message}`);
    log(`worker serving queues ${worker.queues.join(', ')}`);
    shutdownOnSignals({ worker, graceS, log });
    await worker.stopped;
  });

program
  .command('bundle')
  .description("bundle the workflow code (Celerity's and the app's) once, for workers started with --workflow-bundle")
  .option(...APP_OPTION)
  .option('-o, --out <file>', 'where to write the bundle', 'dist/workflow-bundle.js')
  .action(async (options: { app?: string; out: string }) => {
    const config = loadConfig();
    const { app, bundleWorkflows } = await serverSide(options.app);
    const { code } = await bundleWorkflows(app, config.encryption);
    const out = path.resolve(options.out);
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, code);
    console.log(`[celerity] workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB); start workers with --workflow-bundle ${options.out}`);
  });

program
  .command('api')
  .description('serve the REST API')
  .option(...APP_OPTION)
  .action(async (options: { app?: string }) => {
    const { app, startApi, syncBeat } = await serverSide(options.app);
    const api = await startApi(loadConfig(), app.registry);
    await syncBeat(api, app.beatSchedule, (message) => console.log(`[celerity] ${message}`));
    console.log(`[celerity] API on ${api.url} (Swagger UI at ${api.url}/docs)`);
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void api.close());
  });

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--${name} must be a positive whole number`);
  return n;
}

function wholeNumber(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--${name} must be a whole number of seconds`);
  return n;
}

addSetupCommand(program);
addClientCommands(program);

program.parseAsync().catch((err: Error) => {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : EXIT.REJECTED);
  console.error(`celerity: ${err.message}`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
});
