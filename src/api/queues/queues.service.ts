import { Inject, Injectable } from '@nestjs/common';
import type { CelerityClient, QueueInfo, WorkerInfo } from '../../client/client.js';
import { CELERITY_CLIENT } from '../tokens.js';
import type { QueueDto } from './queue.dto.js';
import type { WorkerDto } from '../workers/worker.dto.js';

/** Queues and workers over REST: the client's inspection (src/client/inspect.ts) as DTOs. */
@Injectable()
export class QueuesService {
  constructor(@Inject(CELERITY_CLIENT) private readonly client: CelerityClient) {}

  async queues(names?: string[]): Promise<QueueDto[]> {
    return (await this.client.queues(names)).map(toQueueDto);
  }

  async workers(names?: string[]): Promise<WorkerDto[]> {
    return (await this.client.workers(names)).map(toWorkerDto);
  }
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

function toQueueDto(queue: QueueInfo): QueueDto {
  return {
    name: queue.name, kind: queue.kind, backlog: queue.backlog, backlog_age_s: queue.backlogAgeS, add_rate: queue.addRate, dispatch_rate: queue.dispatchRate,
    pollers: queue.pollers.map((poller) => ({ identity: poller.identity, last_seen: iso(poller.lastSeen), rate_per_second: poller.ratePerSecond })),
  };
}

function toWorkerDto(worker: WorkerInfo): WorkerDto {
  return {
    identity: worker.identity, last_seen: iso(worker.lastSeen),
    queues: worker.queues.map((queue) => ({ name: queue.name, kind: queue.kind, last_seen: iso(queue.lastSeen) })),
  };
}
