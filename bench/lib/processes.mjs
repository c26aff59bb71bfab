// The processes a benchmark starts: spawned with their output in one log folder, stopped
// together whatever ends the run (normal end, failure, Ctrl-C), and their peak memory sampled.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOG_DIR = mkdtempSync(path.join(os.tmpdir(), 'celerity-bench-'));

const running = new Set();
/** Fires when the run is stopped by a signal; long waits pass it to fetch or check it. */
export const stopped = new AbortController();

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopped.abort(new Error(`stopped by ${signal}`));
    for (const child of running) child.kill('SIGTERM');
  });
}
// Whatever way this process ends, nothing it started outlives it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a command with its stdout and stderr appended to `<LOG_DIR>/<name>.log`. */
export function start(name, command, args, options = {}) {
  const log = openSync(path.join(LOG_DIR, `${name}.log`), 'a');
  const child = spawn(command, args, { ...options, stdio: ['ignore', log, log] });
  child.benchName = name;
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export function stop(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Rejects if the child exits before `promise` settles: a crashed peer fails its scenario at once. */
export function unlessExited(child, promise) {
  const exited = new Promise((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`${child.benchName} exited (${signal ?? `code ${code}`}); see ${path.join(LOG_DIR, `${child.benchName}.log`)}`)),
    ),
  );
  return Promise.race([promise, exited]);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 200 ms until it returns true, failing after `timeoutMs`. */
export async function waitUntil(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (stopped.signal.aborted) throw stopped.signal.reason;
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** pid -> parent pid, for every process on the machine. */
function parents() {
  const map = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces; the fields after its closing parenthesis do not.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      map.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** RSS of a process and all its descendants, in MB. */
function treeRssMb(root, parentOf) {
  let kb = 0;
  for (const [pid] of parentOf) {
    for (let p = pid; p; p = parentOf.get(p)) {
      if (p === root) {
        kb += rssKb(pid);
        break;
      }
    }
  }
  return kb / 1024;
}

/** CPU seconds (user + system) used so far by a process and its live descendants. */
export function treeCpuSeconds(root) {
  const parentOf = parents();
  let ticks = 0;
  for (const [pid] of parentOf) {
    for (let p = pid; p; p = parentOf.get(p)) {
      if (p !== root) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [utime, stime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 13).map(Number);
        ticks += utime + stime;
      } catch {
        // The process ended while we looked.
      }
      break;
    }
  }
  // Linux counts in clock ticks of 1/100 s (USER_HZ).
  return ticks / 100;
}

/** The child processes of this one that were started after `before` (a set of pids). */
export function newChildren(before) {
  return [...parents()].filter(([pid, ppid]) => ppid === process.pid && !before.has(pid)).map(([pid]) => pid);
}

export function pids() {
  return new Set(parents().keys());
}

/**
 * Samples the peak RSS (each process with its children, every 250 ms) of named processes;
 * `stop()` gives `{ name: MB }`.
 */
export function sampleRss(roles) {
  const peak = Object.fromEntries(Object.keys(roles).map((role) => [role, 0]));
  const sample = () => {
    const parentOf = parents();
    for (const [role, pid] of Object.entries(roles)) if (pid) peak[role] = Math.max(peak[role], treeRssMb(pid, parentOf));
  };
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Object.fromEntries(Object.entries(peak).map(([role, mb]) => [role, Math.round(mb)]));
    },
  };
}
