// Celery's and BullMQ's common ground: a Redis server of the run's own, on a free port, and
// Debian's redis-server and python3-celery, installed when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../../dist/src/temporal/dev-server.js';
import { start, stop, waitUntil } from '../lib/processes.mjs';

/** Debian's Python, where apt installs python3-celery (a pyenv or venv python3 would not see it). */
export const PYTHON = '/usr/bin/python3';
const PACKAGES = ['redis-server', 'python3-celery', 'python3-redis'];

function installed() {
  const redis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  const celery = spawnSync(PYTHON, ['-c', 'import celery, redis'], { stdio: 'ignore' }).status === 0;
  return redis && celery;
}

/** Installs Redis and Celery with apt-get when missing; throws one message saying what to do if that fails. */
export function ensureInstalled(log) {
  if (installed()) return;
  log(`installing ${PACKAGES.join(', ')} with apt-get (Celery and Redis, for the comparison)`);
  try {
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', ...PACKAGES], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (err) {
    throw new Error(
      `could not install ${PACKAGES.join(' ')} with apt-get (${err.message.split('\n')[0]}): install them ` +
        '(Debian or Ubuntu, as root), or leave Celery and BullMQ out with --only celerity,raw-sdk',
    );
  }
  if (!installed()) throw new Error(`apt-get installed ${PACKAGES.join(' ')}, yet ${PYTHON} cannot import celery or redis-server does not run`);
}

/** Starts a Redis server without persistence; `stop()` ends it. */
export async function startRedis() {
  const port = await freePort();
  const child = start('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await waitUntil('Redis', () => canConnect(port), 20_000);
  return { port, url: `redis://127.0.0.1:${port}`, child, stop: () => stop(child) };
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
