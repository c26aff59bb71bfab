/**
 * Worker bootstrap (Celery's `celery worker -Q ... -c ...`): one Temporal worker runs
 * Celerity's workflows, and one per queue runs the tasks (activities) sent to that queue.
 */
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, Runtime, Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { DEFAULT_SHUTDOWN_GRACE_S, type CelerityConfig } from '../config.js';
import type { EncryptionKeys } from '../temporal/encryption.js';
import { normalize } from '../canvas/normalize.js';
import { checkCanvasDepth } from '../canvas/parse.js';
import { planCanvas, type PlanActivities } from '../canvas/plan.js';
import { callOptionsFromCelery, DEFAULT_QUEUE, parseRateLimit, rateLimitedQueue, type TaskRegistry } from '../tasks/index.js';
import { mapActivities } from '../tasks/map.js';
import { dataConverter } from '../temporal/codec.js';
import { connectWorker } from '../temporal/connection.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows', import.meta.url));

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  workflowQueue: string;
  registry: TaskRegistry;
  /** Activity queues to serve (Celery's -Q); default `celery`. */
  queues?: string[];
  /** Tasks run at once per queue (Celery's -c). */
  concurrency?: number;
  /** A prebuilt workflow bundle; without one the workflows are bundled at start. */
  workflowBundle?: WorkflowBundleOption;
  /** Whether this process also runs workflows (every worker does unless told otherwise). */
  runWorkflows?: boolean;
  identity?: string;
  /**
   * Seconds that running tasks get to finish after shutdown() (Celery's warm shutdown); past
   * them they are cancelled and Temporal retries them on another worker. Default 30.
   */
  shutdownGraceS?: number;
  /**
   * Payload encryption keys (CELERITY_ENCRYPTION_KEYS). A prebuilt workflowBundle must then be
   * built with `failureConverterPath: dataConverter(encryption).failureConverterPath`.
   */
  encryption?: EncryptionKeys;
}

export interface CelerityWorker {
  queues: string[];
  /** Resolves when every worker has stopped. */
  run(): Promise<void>;
  /** Stops polling, lets running tasks finish within the grace period, then resolves run(). */
  shutdown(): void;
  /** Tasks (activities) running in this process now. */
  runningTasks(): number;
}

/** Past the grace period, how long cancelled tasks get to stop before the SDK gives up on them. */
const SHUTDOWN_FORCE_MARGIN_MS = 5_000;

export async function createWorker(options: WorkerOptions): Promise<CelerityWorker> {
  const queues = options.queues?.length ? [...new Set(options.queues)] : [DEFAULT_QUEUE];
  const graceMs = (options.shutdownGraceS ?? DEFAULT_SHUTDOWN_GRACE_S) * 1000;
  const common = {
    connection: options.connection,
    shutdownGraceTime: graceMs,
    shutdownForceTime: graceMs + SHUTDOWN_FORCE_MARGIN_MS,
    namespace: options.namespace,
    dataConverter: dataConverter(options.encryption),
    ...(options.identity ? { identity: options.identity } : {}),
  };
  const workers: Worker[] = [];
  if (options.runWorkflows ?? true) {
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: options.workflowQueue,
        ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
        activities: planActivities(options.registry),
      }),
    );
  }
  const activities = { ...options.registry.activities(), ...mapActivities(options.registry) };
  const activityWorker = (taskQueue: string, maxTaskQueueActivitiesPerSecond?: number) =>
    Worker.create({
      ...common,
      taskQueue,
      activities,
      maxConcurrentActivityTaskExecutions: options.concurrency ?? 10,
      maxTaskQueueActivitiesPerSecond,
      // Heartbeats reach the server at least every second, so revokes arrive promptly.
      maxHeartbeatThrottleInterval: '1s',
    });
  const rateLimited = options.registry.list().filter((task) => task.options.rateLimit !== undefined);
  for (const queue of queues) {
    workers.push(await activityWorker(queue));
    // The server enforces a task queue's rate across all its pollers: Celery's rate_limit, cluster-wide.
    for (const task of rateLimited) {
      workers.push(await activityWorker(rateLimitedQueue(queue, task.name), parseRateLimit(task.options.rateLimit!)));
    }
  }
  return {
    queues,
    run: async () => {
      await Promise.all(workers.map((worker) => worker.run()));
    },
    shutdown: () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
    runningTasks: () => workers.reduce((sum, worker) => sum + worker.getStatus().numInFlightActivities, 0),
  };
}

/** Connects to Temporal and starts serving (the `celerity worker` process). */
export async function startWorker(
  config: Pick<CelerityConfig, 'temporalAddress' | 'temporalConnection' | 'devServerPort' | 'namespace' | 'workflowQueue' | 'encryption'>,
  registry: TaskRegistry,
  options: Pick<WorkerOptions, 'queues' | 'concurrency' | 'workflowBundle' | 'runWorkflows' | 'shutdownGraceS'> = {},
): Promise<CelerityWorker & { stopped: Promise<void>; connection: NativeConnection }> {
  const connection = await connectWorker(config);
  const worker = await createWorker({
    ...options,
    connection,
    registry,
    namespace: config.namespace,
    workflowQueue: config.workflowQueue,
    encryption: config.encryption,
  });
  const stopped = worker.run().finally(() => connection.close());
  return { ...worker, stopped, connection };
}

/** Canvases run from workflow code are planned against this worker's registry (see runCanvas). */
function planActivities(registry: TaskRegistry): PlanActivities {
  return {
    planCanvas: async (canvas, rootId) => {
      try {
        checkCanvasDepth(canvas);
        return planCanvas(normalize(canvas), { rootId, registry, now: new Date(), callOptions: callOptionsFromCelery });
      } catch (err) {
        // A canvas that cannot be planned never will be: fail the workflow, do not retry.
        throw ApplicationFailure.fromError(err, { nonRetryable: true });
      }
    },
  };
}

/** Workflows and tasks poll separate queues by design, so the SDK's notes about that are noise. */
const EXPECTED_NOTES = ['No activities registered', 'No workflows registered'];

/**
 * Sets up the Temporal SDK for this process: its log for Celerity's users (warnings and errors,
 * minus the expected notes) and, given a port, a Prometheus endpoint with the SDK's worker
 * metrics and Celerity's task outcome counters.
 */
export function installRuntime(options: { metricsPort?: number } = {}): void {
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
      if (EXPECTED_NOTES.some((note) => message.startsWith(note))) return;
      console.warn(`[temporal] ${level} ${message}`, meta ?? '');
    }),
    telemetryOptions:
      options.metricsPort === undefined ? undefined : { metrics: { prometheus: { bindAddress: `0.0.0.0:${options.metricsPort}` } } },
  });
}
