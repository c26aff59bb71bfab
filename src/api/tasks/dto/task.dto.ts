import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { TaskResult } from '../../../client/client.js';

export class TaskErrorDto {
  @ApiProperty({ example: 'ExpectedError' }) type!: string;
  @ApiProperty({ example: 'boom' }) message!: string;
  @ApiProperty({ type: String, nullable: true }) traceback!: string | null;
}

/** Any JSON value (a task's result, a custom state's meta): the document must not narrow it to an object. */
const JSON_VALUE = { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }, { type: 'array', items: {} }] };

/** A task as Celery's result backend would describe it. */
export class TaskDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'add' }) task!: string;
  @ApiProperty({ example: 'SUCCESS', description: 'PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED, or a custom state the task reports (e.g. PROGRESS).' })
  state!: string;
  @ApiProperty({ ...JSON_VALUE, description: 'The return value once SUCCESS.', nullable: true }) result!: unknown;
  @ApiProperty({ type: TaskErrorDto, nullable: true }) error!: TaskErrorDto | null;
  @ApiProperty({ enum: ['revoked', 'expired', 'terminated'], nullable: true, description: 'Why a REVOKED task was revoked.' }) reason!: string | null;
  @ApiProperty({ ...JSON_VALUE, description: 'Meta of a custom state such as PROGRESS.', nullable: true }) meta!: unknown;
  @ApiProperty({ type: 'array', items: {} }) args!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true }) kwargs!: Record<string, unknown>;
  @ApiProperty() retries!: number;
  @ApiProperty({ example: 'celery' }) queue!: string;
  @ApiProperty({ format: 'date-time' }) date_submitted!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a delayed task may start.' }) eta!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) date_started!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) date_done!: string | null;
  @ApiProperty({ type: String, nullable: true }) parent_id!: string | null;
  @ApiProperty({ type: () => [TaskDto] }) children!: TaskDto[];
  @ApiPropertyOptional({ description: 'This task\'s history in the Temporal Web UI.' }) temporal_ui?: string;
}

export function toTaskDto(task: TaskResult, uiLink: (id: string, runId: string | null) => string): TaskDto {
  return {
    id: task.id,
    task: task.task,
    state: task.state,
    result: task.result,
    error: task.error,
    reason: task.reason,
    meta: task.meta,
    args: task.args,
    kwargs: task.kwargs,
    retries: task.retries,
    queue: task.queue,
    date_submitted: task.dateSubmitted.toISOString(),
    eta: task.eta?.toISOString() ?? null,
    date_started: task.dateStarted?.toISOString() ?? null,
    date_done: task.dateDone?.toISOString() ?? null,
    parent_id: task.parentId,
    children: task.children.map((child) => toTaskDto(child, uiLink)),
    temporal_ui: uiLink(task.id, task.runId),
  };
}

export class ResultQueryDto {
  @ApiPropertyOptional({ description: 'Seconds to wait for the task to be ready.', default: 0, minimum: 0, maximum: 3600 })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false }, { message: 'timeout must be a number of seconds' }) @Min(0) @Max(3600)
  timeout?: number;
}

export class RevokeTaskDto {
  @ApiPropertyOptional({ description: 'Stop the task now instead of letting it clean up.', default: false })
  @IsOptional() @IsBoolean()
  terminate?: boolean;

  @ApiPropertyOptional({ description: 'Recorded in the task\'s Temporal history.' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}
