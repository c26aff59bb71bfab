import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { DEFAULT_QUEUE, type TaskRegistry } from '../../tasks/index.js';
import { TASK_REGISTRY } from '../tokens.js';

export class TaskTypeDto {
  @ApiProperty({ example: 'add' }) name!: string;
  @ApiPropertyOptional({ type: [String], description: 'Parameter names, for kwargs.', example: ['x', 'y'] }) params?: string[];
  @ApiProperty({ example: 'celery' }) queue!: string;
  @ApiPropertyOptional({ description: 'Hard time limit in seconds.' }) time_limit?: number;
  @ApiPropertyOptional({ description: 'Soft time limit in seconds.' }) soft_time_limit?: number;
}

@ApiTags('tasks')
@Controller('task-types')
export class TaskTypesController {
  constructor(@Inject(TASK_REGISTRY) private readonly registry: TaskRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Registered tasks and their effective options' })
  @ApiOkResponse({ type: [TaskTypeDto] })
  list(): TaskTypeDto[] {
    return this.registry.list().map(({ name, options }) => ({
      name,
      params: options.params,
      queue: options.queue ?? DEFAULT_QUEUE,
      time_limit: options.timeLimit,
      soft_time_limit: options.softTimeLimit,
    }));
  }
}
