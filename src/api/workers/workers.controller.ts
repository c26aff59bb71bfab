import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorDto } from '../errors.js';
import { QueueQueryDto, type QueueDto } from '../queues/queue.dto.js';
import { QueuesService } from '../queues/queues.service.js';
import { WorkerDto } from './worker.dto.js';
import { RequireScope } from '../security/scope.decorator.js';

@ApiTags('operations')
@RequireScope('read')
@Controller('workers')
export class WorkersController {
  constructor(private readonly queues: QueuesService) {}

  @Get()
  @ApiOperation({
    summary: 'Workers and the queues they poll (celery inspect ping / stats)',
    description: 'Temporal remembers pollers for a few minutes, so a worker that just stopped may still be listed; last_seen tells.',
  })
  @ApiOkResponse({ type: [WorkerDto] })
  @ApiBadRequestResponse({ type: ErrorDto })
  async list(@Query() query: QueueQueryDto): Promise<WorkerDto[]> {
    return workersOf(await this.queues.describeAll(query.queue));
  }
}

/** Regroups each queue's pollers by worker identity, most recently seen first. */
export function workersOf(queues: QueueDto[]): WorkerDto[] {
  const workers = new Map<string, WorkerDto>();
  for (const queue of queues) {
    for (const poller of queue.pollers) {
      const worker = workers.get(poller.identity) ?? { identity: poller.identity, last_seen: null, queues: [] };
      worker.queues.push({ name: queue.name, kind: queue.kind, last_seen: poller.last_seen });
      if (poller.last_seen && (!worker.last_seen || poller.last_seen > worker.last_seen)) worker.last_seen = poller.last_seen;
      workers.set(poller.identity, worker);
    }
  }
  return [...workers.values()].sort((a, b) => (b.last_seen ?? '').localeCompare(a.last_seen ?? ''));
}
