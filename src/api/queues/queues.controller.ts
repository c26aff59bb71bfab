import { Controller, Get } from '@nestjs/common';
import { z } from 'zod';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { errorSchema } from '../errors.js';
import { answer, SchemaQuery } from '../zod.js';
import { queueQuerySchema, queueSchema, type QueueDto, type QueueQuery } from './queue.dto.js';
import { QueuesService } from './queues.service.js';
import { RequireScope } from '../security/scope.decorator.js';

@ApiTags('operations')
@RequireScope('read')
@Controller('queues')
export class QueuesController {
  constructor(private readonly queues: QueuesService) {}

  @Get()
  @ApiOperation({
    summary: 'Queues: backlog, rates and pollers (celery inspect active_queues)',
    description: 'From Temporal\'s task queue description with stats; the numbers are the server\'s approximations.',
  })
  @ApiOkResponse(answer(z.array(queueSchema)))
  @ApiBadRequestResponse(answer(errorSchema))
  list(@SchemaQuery(queueQuerySchema) query: QueueQuery): Promise<QueueDto[]> {
    return this.queues.queues(query.queue);
  }
}
