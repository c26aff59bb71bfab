import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorDto } from '../errors.js';
import { QueueQueryDto } from '../queues/queue.dto.js';
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
    return this.queues.workers(query.queue);
  }
}
