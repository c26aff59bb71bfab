import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  DEFAULT_MAX_RETRIES, DEFAULT_QUEUE, DEFAULT_RETRY_BACKOFF_MAX_S, DEFAULT_RETRY_DELAY_S, type Task, type TaskRegistry,
} from '../../tasks/index.js';
import { TASK_REGISTRY } from '../tokens.js';
import { RequireScope } from '../security/scope.decorator.js';
import { answer, component } from '../zod.js';

const seconds = z.number().nullable().describe('Seconds.');

/** A registered task and its effective options (Celery's defaults filled in). */
const taskTypeSchema = component('TaskTypeDto', z.object({
  name: z.string().meta({ example: 'add' }),
  params: z.array(z.string()).optional().describe('Parameter names, for kwargs.').meta({ example: ['x', 'y'] }),
  queue: z.string().meta({ example: 'celery' }),
  priority: z.int().nullable().describe("0 (first) to 9 (last); null: Temporal's default."),
  max_retries: z.int().nullable().describe('null retries for ever.'),
  default_retry_delay: z.number().describe('Seconds.'),
  autoretry_for: z.array(z.string()),
  dont_autoretry_for: z.array(z.string()),
  retry_backoff: z.union([z.boolean(), z.number()]),
  retry_backoff_max: z.number().describe('Seconds.'),
  retry_jitter: z.boolean(),
  time_limit: seconds,
  soft_time_limit: seconds,
  rate_limit: z.union([z.string(), z.number()]).nullable().meta({ example: '10/s' }),
  expires: z.number().nullable().describe('Default expires, in seconds.'),
  ignore_result: z.boolean(),
}));
type TaskTypeDto = z.output<typeof taskTypeSchema>;

@ApiTags('tasks')
@RequireScope('read')
@Controller('task-types')
export class TaskTypesController {
  constructor(@Inject(TASK_REGISTRY) private readonly registry: TaskRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Registered tasks and their effective options' })
  @ApiOkResponse(answer(z.array(taskTypeSchema)))
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
