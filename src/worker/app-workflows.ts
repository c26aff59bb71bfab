/**
 * The workflow code of a worker that serves an app with workflows of its own: Celerity's
 * workflows and the app's in one bundle (Temporal loads one bundle per worker).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, Runtime, type Logger } from '@temporalio/worker';
import type { CelerityApp } from '../app.js';
import { dataConverter } from '../temporal/codec.js';
import type { EncryptionKeys } from '../temporal/encryption.js';
import { WORKFLOWS_PATH, type WorkerOptions } from './worker.js';

/**
 * The worker's workflow code: a prebuilt bundle when given one (`celerity bundle`, for production
 * images: the worker starts without bundling), else the app's workflows bundled with Celerity's
 * when it has its own, else none here (the worker bundles Celerity's at start).
 */
export async function appWorkflows(app: CelerityApp, encryption?: EncryptionKeys, prebuilt?: string): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
  if (prebuilt) return { workflowBundle: { codePath: prebuilt } };
  return app.workflowsPath ? { workflowBundle: await bundleWorkflows(app, encryption) } : {};
}

/**
 * Celerity's workflows and the app's own, bundled as a worker of this app runs them. With
 * encryption keys, the bundle carries the failure converter that encrypts errors in workflow
 * code: a bundle made with keys is for workers with keys, one made without for workers without.
 */
export async function bundleWorkflows(app: CelerityApp, encryption?: EncryptionKeys): Promise<{ code: string }> {
  const { failureConverterPath } = dataConverter(encryption);
  const logger = Runtime.instance().logger;
  if (app.workflowsPath) return bundleAppWorkflows(app.workflowsPath, logger, failureConverterPath);
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger, failureConverterPath });
}

/**
 * Bundles Celerity's workflows with the app's module (an absolute path to its compiled file or
 * folder), whose workflow names must differ from Celerity's (`task`, `canvas`, `canvasPartition`).
 */
export async function bundleAppWorkflows(
  appWorkflowsPath: string,
  logger: Logger = Runtime.instance().logger,
  failureConverterPath?: string,
): Promise<{ code: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'celerity-workflows-'));
  try {
    const entry = path.join(dir, 'index.js');
    await writeFile(
      entry,
      [
        `export * from ${JSON.stringify(appWorkflowsPath)};`,
        `export * from ${JSON.stringify(path.join(WORKFLOWS_PATH, 'index.js'))};`,
      ].join('\n'),
    );
    const { code } = await bundleWorkflowCode({
      workflowsPath: entry,
      logger,
      failureConverterPath,
      // The bundler's own entry sits beside ours, in the temporary folder: it finds
      // @temporalio/workflow where Celerity's dependencies are.
      webpackConfigHook: (config) => ({
        ...config,
        resolve: { ...config.resolve, modules: [...(config.resolve?.modules ?? []), dependenciesFolder()] },
      }),
    });
    return { code };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The node_modules folder that holds Celerity's @temporalio/workflow. */
function dependenciesFolder(): string {
  const resolved = createRequire(import.meta.url).resolve('@temporalio/workflow');
  return resolved.slice(0, resolved.lastIndexOf(`${path.sep}node_modules${path.sep}`) + `${path.sep}node_modules`.length);
}
