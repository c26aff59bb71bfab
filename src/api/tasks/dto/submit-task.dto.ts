import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsDateString, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsPositive, IsString, Matches, Max, MaxLength, Min,
  ValidateNested, ValidateIf,
} from 'class-validator';

/** Call options, as in Celery's signature dict (`apply_async` keyword arguments). */
export class CallOptionsDto {
  @ApiPropertyOptional({ description: 'Task id; submitting an id that exists returns that task and never runs it twice.', example: 'report-2026-11-23' })
  @IsOptional() @IsString() @MaxLength(255) @Matches(/^[\w.:@-]+$/, { message: 'task_id may only contain letters, digits and _ . : @ -' })
  task_id?: string;

  @ApiPropertyOptional({ description: 'Seconds to wait before the task may start.', example: 5, minimum: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0)
  countdown?: number;

  @ApiPropertyOptional({ description: 'Earliest start time (ISO 8601).', example: '2026-11-23T12:00:00Z' })
  @IsOptional() @IsDateString({ strict: true }, { message: 'eta must be an ISO 8601 time' })
  eta?: string;

  @ApiPropertyOptional({
    description: 'Revoke the task if it has not started by then: an ISO 8601 time, or seconds from now.',
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'number', minimum: 0 }],
  })
  @IsOptional()
  @ValidateIf((o: CallOptionsDto) => typeof o.expires !== 'number')
  @IsDateString({ strict: true }, { message: 'expires must be an ISO 8601 time or a number of seconds' })
  expires?: string | number;

  @ApiPropertyOptional({ description: 'Queue that runs the task (default: the task\'s own, else `celery`).', example: 'celery' })
  @IsOptional() @IsString() @Matches(/^[\w.:-]{1,200}$/, { message: 'queue may only contain letters, digits and _ . : -' })
  queue?: string;

  @ApiPropertyOptional({ description: '0 (first) to 9 (last), as on Celery\'s Redis transport; mapped onto Temporal\'s priority keys 1-5.', minimum: 0, maximum: 9 })
  @IsOptional() @IsInt() @Min(0) @Max(9)
  priority?: number;

  @ApiPropertyOptional({ description: 'Retries allowed for the task\'s own errors; null retries for ever. Default: the task\'s, else 3.', nullable: true, minimum: 0 })
  @IsOptional() @ValidateIf((o: CallOptionsDto) => o.max_retries !== null) @IsInt() @Min(0)
  max_retries?: number | null;

  @ApiPropertyOptional({ description: 'Hard time limit in seconds: the attempt fails with TimeLimitExceeded.', minimum: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @IsPositive()
  time_limit?: number;

  @ApiPropertyOptional({ description: 'Soft time limit in seconds (below time_limit): the task\'s signal fires with SoftTimeLimitExceeded.', minimum: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @IsPositive()
  soft_time_limit?: number;

  @ApiPropertyOptional({ description: 'Do not keep the task\'s return value.' })
  @IsOptional() @IsBoolean()
  ignore_result?: boolean;

  @ApiPropertyOptional({ description: 'Custom headers, readable by the task.', type: 'object', additionalProperties: true })
  @IsOptional() @IsObject()
  headers?: Record<string, unknown>;
}

/** One task call: Celery's signature, natively or as `json.dumps(signature)` writes it. */
export class SubmitTaskDto {
  @ApiProperty({ description: 'Registered task name.', example: 'add' })
  @IsString() @Matches(/\S/, { message: 'task must not be empty' })
  task!: string;

  @ApiPropertyOptional({ description: 'Positional arguments.', type: 'array', items: {}, example: [2, 2] })
  @IsOptional() @IsArray()
  args?: unknown[];

  @ApiPropertyOptional({ description: 'Keyword arguments.', type: 'object', additionalProperties: true, example: {} })
  @IsOptional() @IsObject()
  kwargs?: Record<string, unknown>;

  @ApiPropertyOptional({ type: CallOptionsDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => CallOptionsDto)
  options?: CallOptionsDto;

  @ApiPropertyOptional({ description: 'Part of Celery\'s signature dict; an applied signature takes no partial arguments.' })
  @IsOptional() @IsBoolean()
  immutable?: boolean;

  @ApiPropertyOptional({ description: 'Part of Celery\'s signature dict; null for a single task.', nullable: true, enum: [null] })
  @IsOptional() @IsIn([null])
  subtask_type?: null;
}
