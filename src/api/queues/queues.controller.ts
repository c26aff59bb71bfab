import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorDto } from '../errors.js';
import { QueueDto, QueueQueryDto } from './queue.dto.js';
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
  @ApiOkResponse({ type: [QueueDto] })
  @ApiBadRequestResponse({ type: ErrorDto })
  list(@Query() query: QueueQueryDto): Promise<QueueDto[]> {
    return this.queues.queues(query.queue);
  }
}
