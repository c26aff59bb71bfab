/**
 * A Celerity of real processes for the fault tests: its own file-backed Temporal dev server on
 * free ports, and workers and APIs as child processes (support/app-process.mjs) that a test can
 * kill. Tasks count their executions in a file, outside Temporal. cleanup() kills everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../../../src/temporal/cli.js';
import { freePort, serverPids, startDevServer, type DevServer } from '../../../src/temporal/dev-server.js';
import { executions, sleep, spawnProcess, type Executions, type Proc } from '../../support/processes.js';

const APP_PROCESS = path.resolve('test/fault/support/app-process.mjs');

export class FaultStack {
  readonly dbFile: string;
  readonly countFile: string;
  server?: DevServer;
  private readonly procs: Proc[] = [];

  private constructor(readonly dir: string, private readonly cli: string, readonly port: number) {
    this.dbFile = path.join(dir, 'temporal.db');
    this.countFile = path.join(dir, 'executions.log');
  }

  static async create(): Promise<FaultStack> {
    const [cli, port] = await Promise.all([findTemporalCli({ install: false }), freePort()]);
    const stack = new FaultStack(mkdtempSync(path.join(os.tmpdir(), 'celerity-fault-')), cli, port);
    await stack.startServer();
    return stack;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the dev server on the same SQLite file and port. */
  async startServer(): Promise<void> {
    this.server = await startDevServer({
      cli: this.cli,
      port: this.port,
      dbFile: this.dbFile,
      namespace: 'default',
      logFile: path.join(this.dir, 'temporal.log'),
    });
  }

  /** kill -9 of the Temporal server process itself; resolves once it is gone. */
  async killServer(): Promise<void> {
    const pids = serverPids(this.dbFile);
    expect(pids.length).toBe(1);
    process.kill(pids[0], 'SIGKILL');
    while (serverPids(this.dbFile).length) await sleep(50);
  }

  private env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return {
      ...process.env,
      TEMPORAL_ADDRESS: this.address,
      CELERITY_WORKFLOW_QUEUE: 'celerity-fault',
      CELERITY_FAULT_COUNT_FILE: this.countFile,
      ...extra,
    };
  }

  /** A worker process (concurrency 100, or `CELERITY_FAULT_CONCURRENCY` in `env`), serving once this resolves. */
  async worker(env: NodeJS.ProcessEnv = {}): Promise<Proc> {
    const proc = this.track(spawnProcess(process.execPath, [APP_PROCESS, 'worker'], this.env(env)));
    await proc.waitFor('worker serving');
    return proc;
  }

  /**
   * An API process on a free port; `dev`: a worker and the API in one process, as `celerity dev`
   * runs them (its API starts workflows eagerly on the worker's connection).
   */
  async api(role: 'api' | 'dev' = 'api'): Promise<Proc & { url: string }> {
    const port = await freePort();
    const proc = this.track(spawnProcess(process.execPath, [APP_PROCESS, role], this.env({ PORT: String(port) })));
    await proc.waitFor('API on');
    return { ...proc, url: `http://127.0.0.1:${port}` };
  }

  /** kill -9 of a worker or API process; resolves once it is gone. */
  async kill(proc: Proc): Promise<void> {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }

  track<T extends Proc>(proc: T): T {
    this.procs.push(proc);
    return proc;
  }

  /** Executions per task key, as the tasks recorded them in this stack's count file. */
  executions(): Executions {
    return executions(this.countFile);
  }

  /** Waits until `n` tasks have recorded an execution (started or done). */
  async waitForExecutions(n: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.executions().size < n) {
      if (Date.now() > deadline) throw new Error(`fewer than ${n} tasks ran`);
      await sleep(100);
    }
  }

  async cleanup(): Promise<void> {
    for (const proc of this.procs) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await Promise.all(this.procs.map((proc) => proc.exited));
    await this.server?.stop();
    for (const pid of serverPids(this.dbFile)) process.kill(pid, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
