/**
 * The app contract (Celery's `-A proj`): an app is a module whose default export is
 * `defineApp({ registry, beatSchedule, workflowsPath })`. `celerity dev|worker|api -A <module>`
 * loads it; so do `CELERITY_APP=<module>` and, when neither is given, the `celerity.app` field
 * of the package.json in the current directory (this repository names `dist/activities/index.js`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BeatSchedule } from './beat/entry.js';
import type { TaskRegistry } from './tasks/index.js';

/** What an app declares. */
export interface CelerityAppOptions<R extends TaskRegistry = TaskRegistry> {
  /** Its tasks: what its workers run and its API accepts (its type types a client's `sendTask`). */
  registry: R;
  /** Its `beat_schedule`, brought in step with Temporal's schedules when `dev` or `api` starts; none by default. */
  beatSchedule?: BeatSchedule;
  /**
   * Its own workflow code (a file or a folder's index, compiled JavaScript), bundled by every
   * worker together with Celerity's workflows. Give a URL (`new URL('./workflows.js',
   * import.meta.url)`) or an absolute path. Its exported names must differ from Celerity's
   * own workflow types (`task`, `canvas`, `canvasPartition`).
   */
  workflowsPath?: string | URL;
}

/** An app as the CLI runs it. */
export interface CelerityApp<R extends TaskRegistry = TaskRegistry> {
  registry: R;
  beatSchedule: BeatSchedule;
  /** Absolute path, or undefined when the app has no workflows of its own. */
  workflowsPath?: string;
}

/** A module that cannot serve as an app; the message names the module and what is wrong. */
export class AppLoadError extends Error {
  override name = 'AppLoadError';
}

/**
 * Declares an app; export the result as the module's default export.
 * @throws AppLoadError when `registry` is not a TaskRegistry, `beatSchedule` not an object,
 *   or `workflowsPath` neither a file URL nor an absolute path.
 */
export function defineApp<R extends TaskRegistry>(options: CelerityAppOptions<R>): CelerityApp<R> {
  return checkApp(options, 'defineApp()') as CelerityApp<R>;
}

/**
 * Where the app module is: `-A`, else `CELERITY_APP`, else the current directory's
 * package.json `celerity.app`; relative paths are taken from the current directory.
 * @throws AppLoadError when none names one, or when that package.json is not valid JSON.
 */
export function appModulePath(option: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const named = option || env.CELERITY_APP || packageJsonApp(cwd);
  if (!named) {
    throw new AppLoadError(
      'no app given: pass -A ./dist/app.js (a module whose default export is defineApp({ registry, beatSchedule })), ' +
        'set CELERITY_APP, or name it in package.json as "celerity": { "app": "./dist/app.js" }',
    );
  }
  return path.resolve(cwd, named);
}

/**
 * Imports the app module and checks its default export.
 * @throws AppLoadError naming the file when it or its workflowsPath is missing, when it fails to
 *   load, or when it exports no app.
 */
export async function loadApp(modulePath: string): Promise<CelerityApp> {
  if (!existsSync(modulePath)) throw new AppLoadError(`app ${modulePath}: no such file (built yet?)`);
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(modulePath).href);
  } catch (err) {
    throw new AppLoadError(`app ${modulePath}: cannot be loaded: ${(err as Error).message}`);
  }
  // A CommonJS app's `exports.default` arrives one level deeper.
  const exported = unwrapCommonJs(module.default);
  if (exported === undefined) {
    const names = Object.keys(module);
    throw new AppLoadError(
      `app ${modulePath}: has no default export; export default defineApp({ registry, beatSchedule, workflowsPath }) ` +
        `from 'celerity'${names.length ? ` (it exports ${names.join(', ')})` : ''}`,
    );
  }
  const app = checkApp(exported, `app ${modulePath}: its default export`);
  if (app.workflowsPath && !existsSync(app.workflowsPath)) {
    throw new AppLoadError(`app ${modulePath}: workflowsPath ${app.workflowsPath}: no such file or folder (built yet?)`);
  }
  return app;
}

function checkApp(value: unknown, where: string): CelerityApp {
  if (typeof value !== 'object' || value === null) throw new AppLoadError(`${where} must be an object, got ${typeof value}`);
  const { registry, beatSchedule = {}, workflowsPath } = value as Partial<CelerityAppOptions>;
  if (!isRegistry(registry)) throw new AppLoadError(`${where}: registry must be a TaskRegistry (new TaskRegistry([...tasks]))`);
  if (typeof beatSchedule !== 'object' || beatSchedule === null || Array.isArray(beatSchedule)) {
    throw new AppLoadError(`${where}: beatSchedule must be an object of schedule id → entry`);
  }
  return { registry, beatSchedule, workflowsPath: workflowsFile(workflowsPath, where) };
}

/** Duck-typed, so that an app built against another copy of Celerity still loads. */
function isRegistry(value: unknown): value is TaskRegistry {
  const registry = value as TaskRegistry | undefined;
  return typeof registry?.get === 'function' && typeof registry.list === 'function' && typeof registry.activities === 'function';
}

function workflowsFile(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  const file = value instanceof URL && value.protocol === 'file:' ? fileURLToPath(value) : value;
  if (typeof file !== 'string' || !path.isAbsolute(file)) {
    throw new AppLoadError(`${where}: workflowsPath must be a file URL or an absolute path, e.g. new URL('./workflows.js', import.meta.url)`);
  }
  return file;
}

function unwrapCommonJs(value: unknown): unknown {
  const inner = (value as { default?: unknown } | undefined)?.default;
  return inner !== undefined && !isRegistry((value as Partial<CelerityAppOptions>).registry) ? inner : value;
}

function packageJsonApp(cwd: string): string | undefined {
  const file = path.join(cwd, 'package.json');
  if (!existsSync(file)) return undefined;
  let manifest: { celerity?: { app?: unknown } };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppLoadError(`${file}: not valid JSON (${(err as Error).message}), so its "celerity.app" cannot be read`);
  }
  return typeof manifest.celerity?.app === 'string' ? manifest.celerity.app : undefined;
}
