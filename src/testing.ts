/**
 * `celerity/testing`: a whole Celerity for an app's own tests, in one call: an in-memory
 * Temporal dev server on free ports (or the server at `temporalAddress`), a worker running
 * the app's tasks and workflows, and the REST API on a free port.
 *
 * ```ts
 * const stack = await startTestStack(app);
 * const { task } = await stack.client.applyAsync({ task: 'add', args: [2, 2] });
 * expect((await stack.client.waitResult(task.id, 30)).result).toBe(4);
 * await stack.stop();
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { CelerityApp } from './app.js';
import { startApi } from './api/server.js';
import { CelerityClient } from './client/client.js';
import { loadConfig, type CelerityConfig } from './config.js';
import { findTemporalCli } from './temporal/cli.js';
import { connectClient } from './temporal/connection.js';
import { freePort, startDevServer, type DevServer } from './temporal/dev-server.js';
import { appWorkflows } from './worker/app-workflows.js';
import { installRuntime, startWorker } from './worker/worker.js';

export interface TestStackOptions {
  /** A running Temporal server (`host:port`) to use instead of starting one. */
  temporalAddress?: string;
  /** Task queues the worker serves; default `celery`. */
  queues?: string[];
}

export interface TestStack {
  /** The API's base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The settings the stack runs with (its own workflow queue, so stacks never see each other's workflows). */
  config: CelerityConfig;
  client: CelerityClient;
  /** The Temporal client underneath, e.g. to start the app's own workflows on `config.workflowQueue`. */
  temporal: Client;
  /** Stops the API, the worker and the dev server it started. */
  stop(): Promise<void>;
}

/**
 * Starts the stack for `app`; resolves once every part answers.
 * @throws when the Temporal CLI cannot be found or installed (the message says what to install),
 *   or when the app's workflows do not bundle.
 */
export async function startTestStack(app: CelerityApp, options: TestStackOptions = {}): Promise<TestStack> {
  quietRuntime();
  let server: DevServer | undefined;
  if (!options.temporalAddress) {
    server = await startDevServer({ cli: await findTemporalCli({ install: true }), port: await freePort(), namespace: 'default' });
  }
  const config: CelerityConfig = {
    ...loadConfig({}),
    temporalAddress: options.temporalAddress ?? server!.address,
    workflowQueue: `celerity-test-${randomUUID()}`,
    port: 0,
  };
  try {
    const worker = await startWorker(config, app.registry, { queues: options.queues, ...(await appWorkflows(app, config.encryption)) });
    const api = await startApi(config, app.registry, true);
    const temporal = await connectClient(config);
    return {
      url: api.url,
      config,
      client: new CelerityClient({ client: temporal, registry: app.registry, workflowQueue: config.workflowQueue }),
      temporal,
      stop: async () => {
        await api.close();
        worker.shutdown();
        await worker.stopped;
        await temporal.connection.close();
        await server?.stop();
      },
    };
  } catch (err) {
    await server?.stop();
    throw err;
  }
}

/** The SDK logs warnings and errors only, unless the tests installed a runtime of their own (then that one stays). */
function quietRuntime(): void {
  try {
    installRuntime();
  } catch (err) {
    if ((err as Error).name !== 'IllegalStateError') throw err;
  }
}
