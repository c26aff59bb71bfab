/** Runs the Temporal CLI's dev server (SQLite or in memory, with its Web UI) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from './search-attributes.js';

export interface DevServerOptions {
  cli: string;
  port: number;
  /** Web UI port; without one the server runs headless. */
  uiPort?: number;
  /** SQLite file that keeps tasks across restarts; in memory without one. */
  dbFile?: string;
  namespace: string;
  /** Where the server's own log goes; discarded without one. */
  logFile?: string;
  /** The Web UI's codec server (Celerity's API `/codec`), so it shows gzipped payloads decoded. */
  uiCodecEndpoint?: string;
  /** Server settings; DEV_SERVER_TUNING without one (the bench passes others to compare). */
  tuning?: DevServerTuning;
}

export interface DevServerTuning {
  /** `--dynamic-config-value KEY=VALUE`: the server's dynamic config keys, as on a cluster. */
  dynamicConfig: Record<string, string | number | boolean>;
  /** `--sqlite-pragma NAME=VALUE`. */
  sqlitePragmas: Record<string, string>;
}

/**
 * What the embedded server runs with: each setting is measured in bench/README.md, which also
 * says which of the dynamic config keys a production cluster should set.
 */
export const DEV_SERVER_TUNING: DevServerTuning = {
  dynamicConfig: {
    // The dev server has one history shard, which by default reads new transfer tasks (each
    // workflow and activity task to dispatch) at most 20 times a second: 25-50 ms per hop.
    'history.transferProcessorMaxPollRPS': 10_000,
    // One matching host serves every queue: with the default 4 partitions per queue, a task on
    // one partition waits to be forwarded to a poller on another.
    'matching.numTaskqueueReadPartitions': 1,
    'matching.numTaskqueueWritePartitions': 1,
  },
  // The rollback journal with a full sync per commit caps the file database at ~20 workflows/s.
  sqlitePragmas: { journal_mode: 'wal', synchronous: 'normal' },
};

export interface DevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  // A server left running on this database by a process killed before it could stop it.
  if (options.dbFile) await stopStaleServers(options.dbFile);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', options.namespace];
  args.push(...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]));
  if (options.uiPort !== undefined && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=Keyword`);
  args.push(...tuningArgs(options.tuning ?? DEV_SERVER_TUNING));
  args.push('--log-level', 'error');

  let output: 'ignore' | number = 'ignore';
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    output = openSync(options.logFile, 'a');
  }
  const child = spawn(process.execPath, ['-e', GUARD, options.cli, ...args], { stdio: ['pipe', output, output] });
  const address = `127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`the Temporal dev server exited (${signal ?? `code ${code}`}) before it was ready; see ${options.logFile ?? 'its log'}`)),
    );
  });
  try {
    await Promise.race([waitUntilServing(address, options.namespace), exited]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  exited.catch(() => undefined);
  // Whatever way this process ends, the server it started ends with it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`,
    stop: () => stopChild(child),
  };
}

function tuningArgs(tuning: DevServerTuning): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(tuning.dynamicConfig)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  for (const [name, value] of Object.entries(tuning.sqlitePragmas)) args.push('--sqlite-pragma', `${name}=${value}`);
  return args;
}

/**
 * Runs the server (argv: the CLI, then its arguments) and stops it when its parent dies, however
 * it dies: the pipe on stdin closes then. Node cannot set Linux's PR_SET_PDEATHSIG, hence this
 * small process between. SIGTERM and SIGINT pass on; a server still up 8 s later is killed.
 */
const GUARD = `
const { spawn } = require('node:child_process');
const [cli, ...args] = process.argv.slice(1);
const server = spawn(cli, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const stop = (signal) => {
  server.kill(signal);
  setTimeout(() => server.kill('SIGKILL'), 8000).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.stdin.on('close', () => stop('SIGTERM')).resume();
server.on('error', (err) => { console.error(err.message); process.exit(1); });
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
`;

/**
 * Pids of the dev servers running on this SQLite file (Linux: read from /proc; none elsewhere).
 */
export function serverPids(dbFile: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.includes('start-dev') && argv[argv.indexOf('--db-filename') + 1] === dbFile && !argv.includes('-e');
    } catch {
      return false;
    }
  });
}

/** Stops what serverPids finds, so that a restart comes up on the same data, on the same port. */
async function stopStaleServers(dbFile: string): Promise<void> {
  const pids = serverPids(dbFile);
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (pids.some(isRunning)) {
    if (Date.now() > deadline) for (const pid of pids) signal(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

async function waitUntilServing(address: string, namespace: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the Temporal dev server at ${address} did not become ready: ${(err as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
