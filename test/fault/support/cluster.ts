/**
 * A Celerity of real processes for the fault tests: its own file-backed Temporal dev server on
 * free ports, and workers and APIs as child processes (support/app-process.mjs) that a test can
 * kill. Tasks count their executions in a file, outside Temporal. cleanup() kills everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../../../src/temporal/cli.js';
import { freePort, serverPids, startDevServer, type DevServer } from '../../../src/temporal/dev-server.js';

const APP_PROCESS = path.resolve('test/fault/support/app-process.mjs');

export interface Proc {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/** Spawns a process whose output is kept; `ready` is a line it prints once serving. */
export function spawnProcess(command: string, args: string[], env: NodeJS.ProcessEnv, options: { detached?: boolean } = {}): Proc {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    output: () => output,
    exited,
    waitFor: async (text, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (done || Date.now() > deadline) throw new Error(`no "${text}" from ${args.join(' ')}; output:\n${output}`);
        await sleep(100);
      }
    },
  };
}

export class Cluster {
  readonly dbFile: string;
  readonly countFile: string;
  server?: DevServer;
  private readonly procs: Proc[] = [];

  private constructor(readonly dir: string, private readonly cli: string, readonly port: number) {
    this.dbFile = path.join(dir, 'temporal.db');
    this.countFile = path.join(dir, 'executions.log');
  }

  static async create(): Promise<Cluster> {
    const [cli, port] = await Promise.all([findTemporalCli({ install: false }), freePort()]);
    const cluster = new Cluster(mkdtempSync(path.join(os.tmpdir(), 'celerity-fault-')), cli, port);
    await cluster.startServer();
    return cluster;
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

  /** A worker process (concurrency 100), serving once this resolves. */
  async worker(env: NodeJS.ProcessEnv = {}): Promise<Proc> {
    const proc = this.track(spawnProcess(process.execPath, [APP_PROCESS, 'worker'], this.env(env)));
    await proc.waitFor('worker serving');
    return proc;
  }

  /** An API process on a free port. */
  async api(): Promise<Proc & { url: string }> {
    const port = await freePort();
    const proc = this.track(spawnProcess(process.execPath, [APP_PROCESS, 'api'], this.env({ PORT: String(port) })));
    await proc.waitFor('API on');
    return { ...proc, url: `http://127.0.0.1:${port}` };
  }

  track<T extends Proc>(proc: T): T {
    this.procs.push(proc);
    return proc;
  }

  /** Executions per task key, as the tasks recorded them: started attempts and finished ones, with their pids. */
  executions(): Map<string, { started: number[]; done: number[] }> {
    const counts = new Map<string, { started: number[]; done: number[] }>();
    const text = existsSync(this.countFile) ? readFileSync(this.countFile, 'utf8') : '';
    for (const line of text.split('\n').filter(Boolean)) {
      const [event, key, pid] = line.split(' ');
      const entry = counts.get(key) ?? { started: [], done: [] };
      (event === 'start' ? entry.started : entry.done).push(Number(pid));
      counts.set(key, entry);
    }
    return counts;
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

export interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
  ms: number;
}

export async function request(url: string, method: 'GET' | 'POST', body?: unknown): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined, ms: Date.now() - started };
}

/** Submits `task` with `args` under `taskId`; expects 201 (or 200 for an id that exists). */
export async function submit(api: string, taskId: string, task: string, args: unknown[]): Promise<void> {
  const answer = await request(`${api}/tasks`, 'POST', { task, args, options: { task_id: taskId } });
  if (answer.status >= 300) throw new Error(`POST ${taskId}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

const FINAL = new Set(['SUCCESS', 'FAILURE', 'REVOKED']);

/** Polls each task (a few at a time) until all are final; returns them by id. */
export async function waitForFinal(api: string, ids: string[], timeoutMs = 180_000): Promise<Map<string, any>> {
  const deadline = Date.now() + timeoutMs;
  const final = new Map<string, any>();
  while (final.size < ids.length) {
    const pending = ids.filter((id) => !final.has(id));
    for (let i = 0; i < pending.length; i += 50) {
      const answers = await Promise.all(pending.slice(i, i + 50).map((id) => request(`${api}/tasks/${id}`, 'GET')));
      for (const answer of answers) if (answer.status === 200 && FINAL.has(answer.body.state)) final.set(answer.body.id, answer.body);
    }
    if (final.size < ids.length) {
      if (Date.now() > deadline) throw new Error(`${ids.length - final.size} task(s) not final, e.g. ${ids.find((id) => !final.has(id))}`);
      await sleep(500);
    }
  }
  return final;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
