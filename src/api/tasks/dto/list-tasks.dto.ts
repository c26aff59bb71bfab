import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CommaSeparated, NoControlCharacters, QueueName } from '../../query.js';
import type { TaskFilter, TaskPage, TaskStats } from '../../../client/search.js';

/** The filters GET /tasks and GET /tasks/stats share. */
export class TaskFilterQueryDto {
  @ApiPropertyOptional({ description: 'Task name.', example: 'add' })
  @IsOptional() @IsString() @MaxLength(200) @NoControlCharacters()
  task?: string;

  @ApiPropertyOptional({ description: 'The activity queue the task was sent to.', example: 'celery' })
  @IsOptional() @IsString() @QueueName()
  queue?: string;

  @ApiPropertyOptional({ description: 'Tasks of this canvas (its root task id).' })
  @IsOptional() @IsString() @MaxLength(1000) @NoControlCharacters()
  root_id?: string;

  @ApiPropertyOptional({ description: 'Tasks whose parent is this task id.' })
  @IsOptional() @IsString() @MaxLength(1000) @NoControlCharacters()
  parent_id?: string;

  @ApiPropertyOptional({ description: 'Tasks started by this schedule.' })
  @IsOptional() @IsString() @MaxLength(1000) @NoControlCharacters()
  schedule_id?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Submitted at or after this time (ISO 8601).' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Submitted before this time (ISO 8601).' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 time' })
  until?: string;
}

export class ListTasksQueryDto extends TaskFilterQueryDto {
  @ApiPropertyOptional({
    description:
      'One or more states, comma-separated or repeated: PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED or a custom one such as PROGRESS. ' +
      'Only SUCCESS is exact in the visibility query; the others are checked per task, so a page may hold fewer than `limit` items.',
    example: 'SUCCESS,FAILURE',
  })
  @IsOptional()
  @CommaSeparated()
  @ArrayMaxSize(10)
  @Matches(/^[A-Z][A-Z0-9_]*$/, { each: true, message: 'state must be upper-case state names, comma-separated (e.g. SUCCESS,FAILURE)' })
  state?: string[];

  @ApiPropertyOptional({ description: 'Page size.', default: 20, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_page_token of the previous page.' })
  @IsOptional() @IsString() @MaxLength(4000)
  page_token?: string;
}

export function toTaskFilter(query: TaskFilterQueryDto & { state?: string[] }): TaskFilter {
  return {
    task: query.task,
    queue: query.queue,
    rootId: query.root_id,
    parentId: query.parent_id,
    scheduleId: query.schedule_id,
    states: query.state,
    since: query.since ? new Date(query.since) : undefined,
    until: query.until ? new Date(query.until) : undefined,
  };
}

export class TaskSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'add' }) task!: string;
  @ApiProperty({ example: 'SUCCESS' }) state!: string;
  @ApiProperty({ type: String, nullable: true, example: 'celery' }) queue!: string | null;
  @ApiProperty({ format: 'date-time' }) date_submitted!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a PENDING or RETRY task may start.' }) eta!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) date_done!: string | null;
  @ApiProperty({ description: 'This task\'s history in the Temporal Web UI.' }) temporal_ui!: string;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskSummaryDto], description: 'Newest first.' }) items!: TaskSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as page_token for the next page; null on the last page.' })
  next_page_token!: string | null;
}

export function toTaskPageDto(page: TaskPage, uiLink: (id: string, runId: string | null) => string): TaskPageDto {
  return {
    items: page.items.map((item) => ({
      id: item.id,
      task: item.task,
      state: item.state,
      queue: item.queue,
      date_submitted: item.dateSubmitted.toISOString(),
      eta: item.eta?.toISOString() ?? null,
      date_done: item.dateDone?.toISOString() ?? null,
      temporal_ui: uiLink(item.id, item.runId),
    })),
    next_page_token: page.nextPageToken,
  };
}

/** Counts by workflow status: RUNNING is every task not ready yet; FAILURE includes tasks revoked because they expired. */
export class StateCountsDto {
  @ApiProperty() SUCCESS!: number;
  @ApiProperty({ description: 'Includes tasks REVOKED because they expired (their workflow failed).' }) FAILURE!: number;
  @ApiProperty({ description: 'Revoked and terminated tasks.' }) REVOKED!: number;
  @ApiProperty({ description: 'Not ready yet: PENDING, STARTED, RETRY or a custom state.' }) RUNNING!: number;
}

export class TaskNameStatsDto {
  @ApiProperty() total!: number;
  @ApiProperty({ type: StateCountsDto }) by_state!: StateCountsDto;
}

export class TaskStatsDto {
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) since!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) until!: string | null;
  @ApiProperty() total!: number;
  @ApiProperty({ type: StateCountsDto }) by_state!: StateCountsDto;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/TaskNameStatsDto' }, description: 'Per registered task name that has tasks.' })
  by_task!: Record<string, TaskNameStatsDto>;
}

export function toTaskStatsDto(stats: TaskStats, query: TaskFilterQueryDto): TaskStatsDto {
  return {
    since: query.since ?? null,
    until: query.until ?? null,
    total: stats.total,
    by_state: stats.byState,
    by_task: Object.fromEntries(Object.entries(stats.byTask).map(([name, s]) => [name, { total: s.total, by_state: s.byState }])),
  };
}
