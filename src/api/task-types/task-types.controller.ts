import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  DEFAULT_MAX_RETRIES, DEFAULT_QUEUE, DEFAULT_RETRY_BACKOFF_MAX_S, DEFAULT_RETRY_DELAY_S, type Task, type TaskRegistry,
} from '../../tasks/index.js';
import { TASK_REGISTRY } from '../tokens.js';
import { RequireScope } from '../security/scope.decorator.js';

/** A registered task and its effective options (Celery's defaults filled in). */
export class TaskTypeDto {
  @ApiProperty({ example: 'add' }) name!: string;
  @ApiPropertyOptional({ type: [String], description: 'Parameter names, for kwargs.', example: ['x', 'y'] }) params?: string[];
  @ApiProperty({ example: 'celery' }) queue!: string;
  @ApiProperty({ type: Number, nullable: true, description: '0 (first) to 9 (last); null: Temporal\'s default.' }) priority!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null retries for ever.' }) max_retries!: number | null;
  @ApiProperty({ description: 'Seconds.' }) default_retry_delay!: number;
  @ApiProperty({ type: [String] }) autoretry_for!: string[];
  @ApiProperty({ type: [String] }) dont_autoretry_for!: string[];
  @ApiProperty({ oneOf: [{ type: 'boolean' }, { type: 'number' }] }) retry_backoff!: boolean | number;
  @ApiProperty({ description: 'Seconds.' }) retry_backoff_max!: number;
  @ApiProperty() retry_jitter!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds.' }) time_limit!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds.' }) soft_time_limit!: number | null;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true, example: '10/s' }) rate_limit!: string | number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Default expires, in seconds.' }) expires!: number | null;
  @ApiProperty() ignore_result!: boolean;
}

@ApiTags('tasks')
@RequireScope('read')
@Controller('task-types')
export class TaskTypesController {
  constructor(@Inject(TASK_REGISTRY) private readonly registry: TaskRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Registered tasks and their effective options' })
  @ApiOkResponse({ type: [TaskTypeDto] })
  list(): TaskTypeDto[] {
    return this.registry.list().map(toTaskTypeDto);
  }
}

function toTaskTypeDto({ name, options: o }: Task): TaskTypeDto {
  return {
    name,
    params: o.params,
    queue: o.queue ?? DEFAULT_QUEUE,
    priority: o.priority ?? null,
    max_retries: o.maxRetries === undefined ? DEFAULT_MAX_RETRIES : o.maxRetries,
    default_retry_delay: o.defaultRetryDelay ?? DEFAULT_RETRY_DELAY_S,
    autoretry_for: o.autoretryFor ?? [],
    dont_autoretry_for: o.dontAutoretryFor ?? [],
    retry_backoff: o.retryBackoff ?? false,
    retry_backoff_max: o.retryBackoffMax ?? DEFAULT_RETRY_BACKOFF_MAX_S,
    retry_jitter: o.retryJitter ?? true,
    time_limit: o.timeLimit ?? null,
    soft_time_limit: o.softTimeLimit ?? null,
    rate_limit: o.rateLimit ?? null,
    expires: o.expires ?? null,
    ignore_result: o.ignoreResult ?? false,
  };
}
