import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OVERLAP_POLICIES, type OverlapPolicy } from '../../../beat/spec.js';
import { SCHEDULE_REFS } from '../schedule.schema.js';

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
  @ApiProperty({ allOf: [SCHEDULE_REFS.options] }) options!: Record<string, unknown>;
  @ApiProperty({ description: 'As given.', oneOf: [{ type: 'integer' }, { type: 'string' }, SCHEDULE_REFS.crontab] }) schedule!: unknown;
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
