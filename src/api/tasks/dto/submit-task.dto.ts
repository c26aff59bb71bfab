import { ApiProperty, ApiPropertyOptional, type ApiBody } from '@nestjs/swagger';
import {
  Allow, IsBoolean, IsDateString, IsInt, IsNumber, IsObject, IsOptional, IsPositive, IsString, Matches, Max, MaxLength, Min,
  ValidateIf,
} from 'class-validator';

const signatureRef = { $ref: '#/components/schemas/SubmitTaskDto' };

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

  @ApiPropertyOptional({ description: 'Signatures (or one) run on success with the result prepended.', type: 'array', items: signatureRef })
  @Allow()
  link?: unknown;

  @ApiPropertyOptional({ description: 'Signatures (or one) run once on final failure, with the failed task\'s id.', type: 'array', items: signatureRef })
  @Allow()
  link_error?: unknown;
}

/**
 * One task call: Celery's signature, natively or as `json.dumps(signature)` writes it. Its
 * shape is checked by the canvas parser (src/canvas/parse.ts), which names the bad field by
 * its path; its options by CallOptionsDto.
 */
export class SubmitTaskDto {
  @ApiProperty({ description: 'Registered task name (or, in Celery\'s dict, celery.chain, celery.group, ...).', example: 'add' })
  task!: string;

  @ApiPropertyOptional({ description: 'Positional arguments.', type: 'array', items: {}, example: [2, 2] })
  args?: unknown[];

  @ApiPropertyOptional({ description: 'Keyword arguments (in Celery\'s dict, a composite\'s parts).', type: 'object', additionalProperties: true, example: {} })
  kwargs?: Record<string, unknown>;

  @ApiPropertyOptional({ type: CallOptionsDto })
  options?: CallOptionsDto;

  @ApiPropertyOptional({ description: 'An immutable signature ignores partial arguments and its parent\'s result.' })
  immutable?: boolean;

  @ApiPropertyOptional({ description: 'Celery\'s dict: null for a task, or chain, group, chord.', nullable: true, enum: [null, 'chain', 'group', 'chord'] })
  subtask_type?: string | null;
}

/** The native canvas forms of CANVAS.md; members are signatures or canvases, nested up to 64 levels (src/canvas/parse.ts). */
type Schema = NonNullable<Extract<Parameters<typeof ApiBody>[0], { schema?: unknown }>['schema']>;

export const CANVAS_SCHEMA: Schema = {
  oneOf: [
    signatureRef,
    { type: 'object', required: ['chain'], properties: { chain: { type: 'array', items: {} }, options: { $ref: '#/components/schemas/CallOptionsDto' } } },
    { type: 'object', required: ['group'], properties: { group: { type: 'array', items: {} }, options: { $ref: '#/components/schemas/CallOptionsDto' } } },
    {
      type: 'object', required: ['chord'],
      properties: { chord: { type: 'object', required: ['header', 'body'], properties: { header: { type: 'array', items: {} }, body: {} } }, options: { $ref: '#/components/schemas/CallOptionsDto' } },
    },
    { type: 'object', required: ['map'], properties: { map: { type: 'object', properties: { task: signatureRef, it: { type: 'array', items: {} } } } } },
    { type: 'object', required: ['starmap'], properties: { starmap: { type: 'object', properties: { task: signatureRef, it: { type: 'array', items: { type: 'array', items: {} } } } } } },
    { type: 'object', required: ['chunks'], properties: { chunks: { type: 'object', properties: { task: signatureRef, it: { type: 'array', items: { type: 'array', items: {} } }, n: { type: 'integer', minimum: 1 } } } } },
  ],
};
