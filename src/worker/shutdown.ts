/**
 * Celery's warm and cold shutdown for a process that runs a worker. The first SIGINT or SIGTERM
 * stops taking tasks and lets the running ones finish within the grace period; past it they are
 * cancelled and Temporal retries them on another worker. A second signal exits at once: Temporal
 * retries the tasks it cut short when their heartbeats stop (within 20 s).
 */
import type { CelerityWorker } from './worker.js';

export interface ShutdownOptions {
  worker: CelerityWorker & { stopped: Promise<void> };
  /** Seconds running tasks get to finish (see WorkerOptions.shutdownGraceS). */
  graceS: number;
  log: (message: string) => void;
  /** Runs first, e.g. closing the API of `celerity dev`. */
  before?: () => Promise<void>;
  /** Runs once the worker has stopped, e.g. stopping the embedded Temporal server. */
  after?: () => Promise<void>;
}

/** Handles SIGINT and SIGTERM for the rest of the process's life; exits the process when done. */
export function shutdownOnSignals(options: ShutdownOptions): void {
  let warm = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (warm) {
      options.log(`${signal} again: cold shutdown, exiting now; Temporal retries the ${options.worker.runningTasks()} running task(s) elsewhere`);
      process.exit(1);
    }
    warm = true;
    void warmShutdown(signal, options);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function warmShutdown(signal: NodeJS.Signals, { worker, graceS, log, before, after }: ShutdownOptions): Promise<void> {
  log(
    `${signal}: warm shutdown: taking no new tasks; ${worker.runningTasks()} running task(s) have up to ${graceS} s to finish ` +
      `(send ${signal} again to stop at once)`,
  );
  const graceOver = setTimeout(
    () => log(`grace period over: cancelling ${worker.runningTasks()} running task(s); Temporal retries them on another worker`),
    graceS * 1000,
  );
  let code = 0;
  try {
    await before?.();
    worker.shutdown();
    await worker.stopped;
    await after?.();
    log('stopped');
  } catch (err) {
    log(`shutdown failed: ${(err as Error).message}`);
    code = 1;
  } finally {
    clearTimeout(graceOver);
  }
  process.exit(code);
}
