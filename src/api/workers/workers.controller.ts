import { Controller, Get } from '@nestjs/common';
import { z } from 'zod';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { errorSchema } from '../errors.js';
import { answer, SchemaQuery } from '../zod.js';
import { queueQuerySchema, type QueueQuery } from '../queues/queue.dto.js';
import { QueuesService } from '../queues/queues.service.js';
import { workerSchema, type WorkerDto } from './worker.dto.js';
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
  @ApiOkResponse(answer(z.array(workerSchema)))
  @ApiBadRequestResponse(answer(errorSchema))
  async list(@SchemaQuery(queueQuerySchema) query: QueueQuery): Promise<WorkerDto[]> {
    return this.queues.workers(query.queue);
  }
}
