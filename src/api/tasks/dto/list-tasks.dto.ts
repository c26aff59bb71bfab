/** GET /tasks and GET /tasks/stats: their queries and answers as zod schemas, their types and OpenAPI components. */
import { z } from 'zod';
import type { TaskFilter, TaskPage, TaskStats } from '../../../client/search.js';
import { isoTime } from '../../../canvas/schema.js';
import { commaList, queueName, text } from '../../query.js';
import { component } from '../../zod.js';
import { dateTime } from './task.dto.js';

const LIMIT = 'must be a whole number from 1 to 100';

/** The filters GET /tasks and GET /tasks/stats share. */
const filterFields = {
  task: text(200).optional().describe('Task name.').meta({ example: 'add' }),
  queue: queueName.optional().describe('The activity queue the task was sent to.').meta({ example: 'celery' }),
  root_id: text(1000).optional().describe('Tasks of this canvas (its root task id).'),
  parent_id: text(1000).optional().describe('Tasks whose parent is this task id.'),
  schedule_id: text(1000).optional().describe('Tasks started by this schedule.'),
  since: isoTime.optional().describe('Submitted at or after this time (ISO 8601).'),
  until: isoTime.optional().describe('Submitted before this time (ISO 8601).'),
};
export const taskFilterQuerySchema = z.strictObject(filterFields);
export type TaskFilterQuery = z.output<typeof taskFilterQuerySchema>;

export const listTasksQuerySchema = z.strictObject({
  ...filterFields,
  state: commaList('[A-Z][A-Z0-9_]*', 'must be upper-case state names, comma-separated (e.g. SUCCESS,FAILURE)', 10).optional().describe(
    'One or more states, comma-separated or repeated: PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED or a custom one such as PROGRESS. ' +
      'Only SUCCESS is exact in the visibility query; the others are checked per task, so a page may hold fewer than `limit` items.',
  ).meta({ example: 'SUCCESS,FAILURE' }),
  limit: z.coerce.number({ error: LIMIT }).int({ error: LIMIT }).min(1, { error: LIMIT }).max(100, { error: LIMIT }).optional().describe('Page size (default 20).'),
  page_token: z.string({ error: 'must be a string' }).max(4000, { error: 'must be at most 4000 characters' }).optional().describe('next_page_token of the previous page.'),
});
export type ListTasksQuery = z.output<typeof listTasksQuerySchema>;

export function toTaskFilter(query: TaskFilterQuery & { state?: string[] }): TaskFilter {
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

const taskSummarySchema = component('TaskSummaryDto', z.object({
  id: z.string(),
  task: z.string().meta({ example: 'add' }),
  state: z.string().meta({ example: 'SUCCESS' }),
  queue: z.string().nullable().meta({ example: 'celery' }),
  date_submitted: dateTime,
  eta: dateTime.nullable().describe('When a PENDING or RETRY task may start.'),
  date_done: dateTime.nullable(),
  temporal_ui: z.string().describe("This task's history in the Temporal Web UI."),
}));

export const taskPageSchema = component('TaskPageDto', z.object({
  items: z.array(taskSummarySchema).describe('Newest first.'),
  next_page_token: z.string().nullable().describe('Pass as page_token for the next page; null on the last page.'),
}));
export type TaskPageDto = z.output<typeof taskPageSchema>;

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
const stateCountsSchema = component('StateCountsDto', z.object({
  SUCCESS: z.int(),
  FAILURE: z.int().describe('Includes tasks REVOKED because they expired (their workflow failed).'),
  REVOKED: z.int().describe('Revoked and terminated tasks.'),
  RUNNING: z.int().describe('Not ready yet: PENDING, STARTED, RETRY or a custom state.'),
}));

const taskNameStatsSchema = component('TaskNameStatsDto', z.object({ total: z.int(), by_state: stateCountsSchema }));

export const taskStatsSchema = component('TaskStatsDto', z.object({
  since: z.string().nullable().describe('As given.'),
  until: z.string().nullable().describe('As given.'),
  total: z.int(),
  by_state: stateCountsSchema,
  by_task: z.record(z.string(), taskNameStatsSchema).describe('Per registered task name that has tasks.'),
}));
export type TaskStatsDto = z.output<typeof taskStatsSchema>;

export function toTaskStatsDto(stats: TaskStats, query: TaskFilterQuery): TaskStatsDto {
  return {
    since: query.since ?? null,
    until: query.until ?? null,
    total: stats.total,
    by_state: stats.byState,
    by_task: Object.fromEntries(Object.entries(stats.byTask).map(([name, s]) => [name, { total: s.total, by_state: s.byState }])),
  };
}
