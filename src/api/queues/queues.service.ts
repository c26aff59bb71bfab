import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { optionalTsToDate, optionalTsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { DEFAULT_QUEUE, rateLimitedQueue, type Task, type TaskRegistry } from '../../tasks/index.js';
import { TASK_REGISTRY, TEMPORAL_CLIENT, WORKFLOW_QUEUE } from '../tokens.js';
import type { QueueDto } from './queue.dto.js';

// @temporalio/proto is CommonJS without named exports.
const { TaskQueueType } = proto.temporal.api.enums.v1;

export type QueueKind = 'task' | 'workflow';

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

/** Temporal's task queue descriptions, with stats and pollers (Flower's queue and worker views). */
@Injectable()
export class QueuesService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(TASK_REGISTRY) private readonly registry: TaskRegistry,
    @Inject(WORKFLOW_QUEUE) private readonly workflowQueue: string,
  ) {}

  describeAll(requested?: string[]): Promise<QueueDto[]> {
    return Promise.all(queuesToDescribe(this.workflowQueue, this.registry.list(), requested).map((q) => this.describe(q.name, q.kind)));
  }

  private async describe(name: string, kind: QueueKind): Promise<QueueDto> {
    const response = await this.temporal.workflowService.describeTaskQueue({
      namespace: this.temporal.options.namespace,
      taskQueue: { name },
      taskQueueType: kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportStats: true,
    });
    const stats = response.stats;
    return {
      name,
      kind,
      backlog: Number(stats?.approximateBacklogCount ?? 0),
      backlog_age_s: (optionalTsToMs(stats?.approximateBacklogAge) ?? 0) / 1000,
      add_rate: stats?.tasksAddRate ?? 0,
      dispatch_rate: stats?.tasksDispatchRate ?? 0,
      pollers: (response.pollers ?? []).map((poller) => ({
        identity: poller.identity ?? '',
        last_seen: optionalTsToDate(poller.lastAccessTime)?.toISOString() ?? null,
        rate_per_second: poller.ratePerSecond ?? 0,
      })),
    };
  }
}
