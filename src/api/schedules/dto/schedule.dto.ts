import { ApiProperty, ApiPropertyOptional, getSchemaPath, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsDateString, IsDefined, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { OVERLAP_POLICIES, type OverlapPolicy } from '../../../beat/spec.js';
import { CallOptionsDto } from '../../tasks/dto/submit-task.dto.js';

const field = { oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } }] };

/** Celery's `crontab(...)`: each field as Celery takes it; a missing field matches everything. */
export class CrontabDto {
  @ApiPropertyOptional({ ...field, description: '0-59', example: '*/15' }) minute?: string | number | Array<string | number>;
  @ApiPropertyOptional({ ...field, description: '0-23', example: '0,12' }) hour?: string | number | Array<string | number>;
  @ApiPropertyOptional({ ...field, description: '0-6 or 7 (0 and 7 are Sunday) or sun..sat', example: 'mon-fri' }) day_of_week?: string | number | Array<string | number>;
  @ApiPropertyOptional({ ...field, description: '1-31' }) day_of_month?: string | number | Array<string | number>;
  @ApiPropertyOptional({ ...field, description: '1-12 or jan..dec' }) month_of_year?: string | number | Array<string | number>;
}

/** Call options for every run: a run gets its own id and starts when due (no task_id, countdown or eta). */
export class ScheduleCallOptionsDto extends OmitType(CallOptionsDto, ['task_id', 'countdown', 'eta', 'expires', 'link', 'link_error'] as const) {
  @ApiPropertyOptional({ description: 'Revoke a run that has not started this many seconds after it was due.', minimum: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0)
  expires?: number;
}

const overlap = {
  enum: OVERLAP_POLICIES,
  description: 'A run due while the last one still runs: skip it, buffer one or all, cancel or terminate the running one, or allow all.',
};

/** A periodic task: Celery's beat_schedule entry, and how Temporal runs it. */
export class ScheduleBodyDto {
  @ApiPropertyOptional({ description: 'Registered task name (or give `canvas`).', example: 'add' })
  @ValidateIf((o: ScheduleBodyDto) => o.canvas === undefined) @IsString() @Matches(/\S/, { message: 'task must not be empty' })
  task?: string;

  @ApiPropertyOptional({ description: 'A canvas to run instead of a task, in either JSON form of POST /tasks (chain, group, chord, ...).', type: 'object', additionalProperties: true })
  @IsOptional() @IsObject()
  canvas?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'array', items: {}, example: [2, 2] })
  @IsOptional() @IsArray()
  args?: unknown[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {} })
  @IsOptional() @IsObject()
  kwargs?: Record<string, unknown>;

  @ApiPropertyOptional({ type: ScheduleCallOptionsDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ScheduleCallOptionsDto)
  options?: ScheduleCallOptionsDto;

  @ApiProperty({
    description: 'When it runs: seconds, an interval ("every 30s", "5m", "1h 30m"), a five-field cron string ("*/15 * * * mon-fri", "@daily") or crontab fields.',
    oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string' }, { $ref: getSchemaPath(CrontabDto) }],
    example: 'every 30s',
  })
  @IsDefined({ message: 'schedule is required: seconds, "every 30s", a cron string or crontab fields' })
  schedule!: number | string | CrontabDto;

  @ApiPropertyOptional({ description: 'IANA time zone of crontab and cron schedules.', default: 'UTC', example: 'Europe/Paris' })
  @IsOptional() @IsString()
  timezone?: string;

  @ApiPropertyOptional({ description: 'Delay each run by a random number of seconds up to this.', minimum: 0 })
  @IsOptional() @IsInt() @Min(0)
  jitter?: number;

  @ApiPropertyOptional({ ...overlap, default: 'skip' })
  @IsOptional() @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;

  @ApiPropertyOptional({ description: 'Seconds: after an outage, runs missed by at most this long still happen.', default: 31536000, minimum: 1 })
  @IsOptional() @IsInt() @Min(1)
  catchup_window?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'No run before this time.' })
  @IsOptional() @IsDateString({ strict: true }, { message: 'start_at must be an ISO 8601 time' })
  start_at?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'No run after this time.' })
  @IsOptional() @IsDateString({ strict: true }, { message: 'end_at must be an ISO 8601 time' })
  end_at?: string;

  @ApiPropertyOptional({ description: 'Stop after this many runs.', minimum: 1 })
  @IsOptional() @IsInt() @Min(1)
  limit?: number;
}

export class CreateScheduleDto extends ScheduleBodyDto {
  @ApiProperty({ description: 'The schedule id (the beat_schedule entry\'s name); runs\' task ids are `<id>-<time>`.', example: 'add-every-30s' })
  @IsString() @MaxLength(200) @Matches(/^[\w.:@-]+$/, { message: 'id may only contain letters, digits and _ . : @ -' })
  id!: string;

  @ApiPropertyOptional({ description: 'Create it paused.' })
  @IsOptional() @IsBoolean()
  paused?: boolean;

  @ApiPropertyOptional({ description: 'Why, e.g. why it is paused.' })
  @IsOptional() @IsString() @MaxLength(1000)
  note?: string;
}

/** The fields to change; null removes an optional one. */
export class UpdateScheduleDto extends PartialType(ScheduleBodyDto) {}

export class NoteDto {
  @ApiPropertyOptional({ description: 'Why, shown with the schedule.', example: 'maintenance until 14:00' })
  @IsOptional() @IsString() @MaxLength(1000)
  note?: string;
}

export class TriggerScheduleDto {
  @ApiPropertyOptional({ ...overlap, default: 'allow_all' })
  @IsOptional() @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;
}

export class BackfillScheduleDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the time range whose due runs are taken now.' })
  @IsDateString({ strict: true }, { message: 'start must be an ISO 8601 time' })
  start!: string;

  @ApiProperty({ format: 'date-time', description: 'End of the time range.' })
  @IsDateString({ strict: true }, { message: 'end must be an ISO 8601 time' })
  end!: string;

  @ApiPropertyOptional({ ...overlap, default: 'buffer_all' })
  @IsOptional() @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;
}

export class ScheduleRunDto {
  @ApiProperty({ description: 'The run\'s task: GET /tasks/{task_id}.', example: 'add-every-30s-2026-11-23T21:30:00Z' }) task_id!: string;
  @ApiProperty({ format: 'date-time' }) scheduled_at!: string;
  @ApiProperty({ format: 'date-time' }) started_at!: string;
  @ApiProperty({ type: String, nullable: true, example: 'SUCCESS', description: 'null once Temporal no longer keeps the task.' }) state!: string | null;
}

export class ScheduleSummaryDto {
  @ApiProperty({ example: 'add-every-30s' }) id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'add' }) task!: string | null;
  @ApiProperty({ description: 'Declared in code (the app\'s beat schedule), which creates, updates and removes it at startup.' }) declared!: boolean;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [String], format: 'date-time', description: 'The next (up to 5) run times.' }) next_run_times!: string[];
}

export class ScheduleListDto {
  @ApiProperty({ type: [ScheduleSummaryDto] }) schedules!: ScheduleSummaryDto[];
}

export class ScheduleDto extends ScheduleSummaryDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The canvas each run starts, when not a single task.' }) canvas?: unknown;
  @ApiProperty({ type: 'array', items: {} }) args!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true }) kwargs!: Record<string, unknown>;
  @ApiProperty({ type: ScheduleCallOptionsDto }) options!: Record<string, unknown>;
  @ApiProperty({ description: 'As given.', oneOf: [{ type: 'integer' }, { type: 'string' }, { $ref: getSchemaPath(CrontabDto) }] }) schedule!: unknown;
  @ApiProperty({ type: String, nullable: true }) timezone!: string | null;
  @ApiProperty({ type: Number, nullable: true }) jitter!: number | null;
  @ApiProperty({ enum: OVERLAP_POLICIES }) overlap!: OverlapPolicy;
  @ApiProperty({ type: Number, nullable: true }) catchup_window!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) start_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) end_at!: string | null;
  @ApiProperty({ type: Number, nullable: true }) limit!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Runs left under the limit.' }) remaining_runs!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The spec as Temporal keeps it: calendars, skip (calendars of times not to run; daylight-saving corrections), intervals (seconds), time zone, jitter.' }) spec!: Record<string, unknown>;
  @ApiProperty({ type: [ScheduleRunDto], description: 'The latest runs, oldest first.' }) recent_runs!: ScheduleRunDto[];
  @ApiProperty() runs_taken!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated_at!: string | null;
}
