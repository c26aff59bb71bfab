/**
 * A whole Celerity (worker + API) against the suite's dev server, on free ports, with its
 * own workflow queue so that test files never see each other's workflows. As in `celerity dev`,
 * the API shares the process with the worker and starts workflows eagerly on its connection.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { registry as exampleRegistry } from '../../activities/index.js';
import { startApi, type ApiServer } from '../../src/api/server.js';
import { CelerityClient } from '../../src/client/client.js';
import { loadConfig, type CelerityConfig } from '../../src/config.js';
import type { TaskRegistry } from '../../src/tasks/index.js';
import { connectClient } from '../../src/temporal/connection.js';
import { startWorker, type WorkerOptions } from '../../src/worker/worker.js';

let runtimeInstalled = false;

export interface Stack {
  config: CelerityConfig;
  api: ApiServer;
  client: CelerityClient;
  /** The Temporal client underneath, for asserting what Temporal itself recorded. */
  temporal: Client;
  /** Starts another worker, e.g. for other queues; it stops with the stack. */
  addWorker(options?: Pick<WorkerOptions, 'queues' | 'concurrency' | 'runWorkflows'>): Promise<{ stop(): Promise<void> }>;
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  get(path: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startStack(options: { registry?: TaskRegistry; queues?: string[]; worker?: boolean } = {}): Promise<Stack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const registry = options.registry ?? exampleRegistry;
  const config: CelerityConfig = {
    ...loadConfig({}),
    temporalAddress: requiredEnv('CELERITY_TEST_TEMPORAL_ADDRESS'),
    workflowQueue: `celerity-test-${randomUUID()}`,
    port: 0,
  };
  const workflowBundle = { codePath: requiredEnv('CELERITY_TEST_WORKFLOW_BUNDLE') };
  const stoppers: Array<() => Promise<void>> = [];
  const addWorker = async (workerOptions: Parameters<Stack['addWorker']>[0] = {}) => {
    const worker = await startWorker(config, registry, { workflowBundle, runWorkflows: false, ...workerOptions });
    let stopping: Promise<void> | undefined;
    // Stopping twice (by a test, then with the stack) waits for the first stop.
    const stop = () => (stopping ??= (async () => {
      worker.shutdown();
      await worker.stopped;
    })());
    stoppers.push(stop);
    return { stop, connection: worker.connection };
  };
  const first = options.worker ?? true ? await addWorker({ queues: options.queues, runWorkflows: true }) : undefined;
  const api = await startApi(config, registry, true, first?.connection);
  const temporal = await connectClient(config);
  const client = new CelerityClient({ client: temporal, registry, workflowQueue: config.workflowQueue });

  const request = async (method: string, path: string, body?: unknown) => {
    const send = () =>
      fetch(`${api.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    // The keep-alive race: a pooled connection the server closes as the request goes out fails
    // before the server reads the request, so sending it again on a new connection is safe.
    const response = await send().catch((err: Error) => (connectionReset(err) ? send() : Promise.reject(err)));
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    config,
    api,
    client,
    temporal,
    addWorker,
    post: (path, body) => request('POST', path, body),
    get: (path) => request('GET', path),
    stop: async () => {
      await api.close();
      await Promise.all(stoppers.map((stop) => stop()));
      await temporal.connection.close();
    },
  };
}

function connectionReset(err: Error): boolean {
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\``);
  return value;
}
