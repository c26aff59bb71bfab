// A driver is a child process (Node.js or Python) that runs one peer's scenarios and prints
// one JSON object per line on stdout; its stderr goes to the run's log folder.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LOG_DIR, stopped } from './processes.mjs';

/** Runs a driver to its end and gives the JSON lines it printed. */
export function runDriver(name, command, args, options = {}) {
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', openSync(logFile, 'a')] });
  // A driver holds nothing worth a graceful end, and the Temporal SDK's turns SIGTERM into a
  // worker shutdown after which the driver would go on: SIGKILL if SIGTERM is not enough.
  const onStop = () => {
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  };
  stopped.signal.addEventListener('abort', onStop);
  const lines = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop();
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line));
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      stopped.signal.removeEventListener('abort', onStop);
      if (code === 0) return resolve(lines);
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      const error = new Error(`${name} exited (${signal ?? `code ${code}`}):\n${tail}`);
      error.lines = lines;
      reject(error);
    });
  });
}
