/**
 * Real child processes for the tests that kill them (test/fault, test/cluster): spawned with
 * their output kept, HTTP calls with a deadline, and the executions that tasks record in a file,
 * outside Temporal (`start <key> <pid>` and `done <key> <pid>`, a line each).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isReady } from '../../src/client/state.js';

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

/** Started and finished attempts per task key, each as the pid that ran it. */
export type Executions = Map<string, { started: number[]; done: number[] }>;

/** The executions recorded in `countFile` so far. */
export function executions(countFile: string): Executions {
  const counts: Executions = new Map();
  const text = existsSync(countFile) ? readFileSync(countFile, 'utf8') : '';
  for (const line of text.split('\n').filter(Boolean)) {
    const [event, key, pid] = line.split(' ');
    const entry = counts.get(key) ?? { started: [], done: [] };
    (event === 'start' ? entry.started : entry.done).push(Number(pid));
    counts.set(key, entry);
  }
  return counts;
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


/** Polls each task (a few at a time) until all are final; returns them by id. */
export async function waitForFinal(api: string, ids: string[], timeoutMs = 180_000): Promise<Map<string, any>> {
  const deadline = Date.now() + timeoutMs;
  const final = new Map<string, any>();
  while (final.size < ids.length) {
    const pending = ids.filter((id) => !final.has(id));
    for (let i = 0; i < pending.length; i += 50) {
      const answers = await Promise.all(pending.slice(i, i + 50).map((id) => request(`${api}/tasks/${id}`, 'GET')));
      for (const answer of answers) if (answer.status === 200 && isReady(answer.body.state)) final.set(answer.body.id, answer.body);
    }
    if (final.size < ids.length) {
      if (Date.now() > deadline) throw new Error(`${ids.length - final.size} task(s) not final, e.g. ${ids.find((id) => !final.has(id))}`);
      await sleep(500);
    }
  }
  return final;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
