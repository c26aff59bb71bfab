#!/usr/bin/env node
// `npm start` and `npm test` on a fresh clone: install dependencies if missing, build, make sure
// the Temporal CLI is there, then run `celerity dev` (or stop there with `prepare`).
// Plain JavaScript, because it runs before the project's own dependencies exist.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const mode = process.argv[2] ?? 'dev';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[celerity] \`${command} ${args.join(' ')}\` failed; fix the error above and try again.`);
    process.exit(result.status ?? 1);
  }
}

const installed = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('[celerity] installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);

// `celerity dev` stops when npm is gone (src/cli/parent-watch.ts); npm runs this file through
// `sh -c`, which outlives a killed npm, so npm is named: the shell's parent.
if (mode === 'dev' && process.env.npm_lifecycle_event) process.env.CELERITY_PARENT_PID = String(npmPid());

function npmPid() {
  try {
    // /proc/<pid>/stat: "pid (command) state ppid ..."
    const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (['sh', 'bash', 'dash'].includes(command)) return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    // no /proc: the parent is the one to watch
  }
  return process.ppid;
}

const main = path.join(root, 'dist', 'src', 'cli', 'main.js');
process.argv = [process.argv[0], main, mode === 'prepare' ? 'provision' : mode, ...process.argv.slice(3)];
await import(pathToFileURL(main).href);
