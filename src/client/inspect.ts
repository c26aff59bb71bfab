/**
 * Inspection (Celery's `app.control.inspect()`, Flower's queue and worker views): Celerity's
 * queues with their backlog and rates, and the workers polling them, from Temporal's task
 * queue descriptions.
 */
import type { Client } from '@temporalio/client';
import { optionalTsToDate, optionalTsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { DEFAULT_QUEUE, rateLimitedQueue, type Task, type TaskRegistry } from '../tasks/index.js';

// @temporalio/proto is CommonJS without named exports.
const { TaskQueueType } = proto.temporal.api.enums.v1;

/** task: tasks (activities) run there; workflow: Celerity's own workflows. */
export type QueueKind = 'task' | 'workflow';

export interface QueueInfo {
  name: string;
  kind: QueueKind;
  /** Approximate number of tasks waiting for a worker. */
  backlog: number;
  /** Seconds the oldest waiting task has waited. */
  backlogAgeS: number;
  /** Tasks added, and handed to workers, per second (the server's 30 s averages). */
  addRate: number;
  dispatchRate: number;
  /** Workers that polled the queue recently (Temporal remembers them for a few minutes). */
  pollers: Array<{ identity: string; lastSeen: Date | null; ratePerSecond: number }>;
}

/** A worker as Temporal sees it: an identity polling one or more queues. */
export interface WorkerInfo {
  identity: string;
  /** Its latest poll on any queue. */
  lastSeen: Date | null;
  queues: Array<{ name: string; kind: QueueKind; lastSeen: Date | null }>;
}

export class TaskInspector {
  constructor(
    private readonly client: Client,
    private readonly registry: TaskRegistry,
    private readonly workflowQueue: string,
  ) {}

  /** The queues named, or by default Celerity's workflow queue and every registered task's queue. */
  queues(names?: string[]): Promise<QueueInfo[]> {
    return Promise.all(queuesToDescribe(this.workflowQueue, this.registry.list(), names).map((q) => this.describe(q.name, q.kind)));
  }

  /** The workers polling those queues, most recently seen first. */
  async workers(names?: string[]): Promise<WorkerInfo[]> {
    return workersOf(await this.queues(names));
  }

  private async describe(name: string, kind: QueueKind): Promise<QueueInfo> {
    const response = await this.client.workflowService.describeTaskQueue({
      namespace: this.client.options.namespace,
      taskQueue: { name },
      taskQueueType: kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportStats: true,
    });
    const stats = response.stats;
    return {
      name,
      kind,
      backlog: Number(stats?.approximateBacklogCount ?? 0),
      backlogAgeS: (optionalTsToMs(stats?.approximateBacklogAge) ?? 0) / 1000,
      addRate: stats?.tasksAddRate ?? 0,
      dispatchRate: stats?.tasksDispatchRate ?? 0,
      pollers: (response.pollers ?? []).map((poller) => ({
        identity: poller.identity ?? '',
        lastSeen: optionalTsToDate(poller.lastAccessTime) ?? null,
        ratePerSecond: poller.ratePerSecond ?? 0,
      })),
    };
  }
}

/**
 * The queues worth describing: Celerity's workflow queue, the default task queue, each
 * registered task's queue and the rate-limited queue of each rate-limited task; or, when
 * asked for by name, just those.
 */
export function queuesToDescribe(workflowQueue: string, tasks: Task[], requested?: string[]): Array<{ name: string; kind: QueueKind }> {
  const kind = (name: string): QueueKind => (name === workflowQueue ? 'workflow' : 'task');
  if (requested?.length) return [...new Set(requested)].map((name) => ({ name, kind: kind(name) }));
  const names = new Set([workflowQueue, DEFAULT_QUEUE]);
  for (const task of tasks) {
    const queue = task.options.queue ?? DEFAULT_QUEUE;
    names.add(task.options.rateLimit === undefined ? queue : rateLimitedQueue(queue, task.name));
  }
  return [...names].map((name) => ({ name, kind: kind(name) }));
}

/** Regroups each queue's pollers by worker identity, most recently seen first. */
export function workersOf(queues: QueueInfo[]): WorkerInfo[] {
  const workers = new Map<string, WorkerInfo>();
  for (const queue of queues) {
    for (const poller of queue.pollers) {
      const worker = workers.get(poller.identity) ?? { identity: poller.identity, lastSeen: null, queues: [] };
      worker.queues.push({ name: queue.name, kind: queue.kind, lastSeen: poller.lastSeen });
      if (poller.lastSeen && (!worker.lastSeen || poller.lastSeen > worker.lastSeen)) worker.lastSeen = poller.lastSeen;
      workers.set(poller.identity, worker);
    }
  }
  return [...workers.values()].sort((a, b) => (b.lastSeen?.getTime() ?? 0) - (a.lastSeen?.getTime() ?? 0));
}
