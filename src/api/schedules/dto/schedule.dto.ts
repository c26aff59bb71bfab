/** The schedules routes' answers, as zod schemas: their types and OpenAPI components. */
import { z } from 'zod';
import { OVERLAP_POLICIES } from '../../../beat/spec.js';
import { dateTime } from '../../tasks/dto/task.dto.js';
import { component, documentAs } from '../../zod.js';
import { crontabSchema, scheduleCallOptionsSchema } from '../schedule.schema.js';

const scheduleRunSchema = component('ScheduleRunDto', z.object({
  task_id: z.string().describe("The run's task: GET /tasks/{task_id}.").meta({ example: 'add-every-30s-2026-11-23T21:30:00Z' }),
  scheduled_at: dateTime,
  started_at: dateTime,
  state: z.string().nullable().describe('null once Temporal no longer keeps the task.').meta({ example: 'SUCCESS' }),
}));

const summaryFields = {
  id: z.string().meta({ example: 'add-every-30s' }),
  task: z.string().nullable().meta({ example: 'add' }),
  declared: z.boolean().describe("Declared in code (the app's beat schedule), which creates, updates and removes it at startup."),
  paused: z.boolean(),
  note: z.string().nullable(),
  next_run_times: z.array(dateTime).describe('The next (up to 5) run times.'),
};
const scheduleSummarySchema = component('ScheduleSummaryDto', z.object(summaryFields));
export type ScheduleSummaryDto = z.output<typeof scheduleSummarySchema>;

export const scheduleListSchema = component('ScheduleListDto', z.object({ schedules: z.array(scheduleSummarySchema) }));
export type ScheduleListDto = z.output<typeof scheduleListSchema>;

/** A time as Temporal's memo keeps it: what the schedule was given. */
const givenTime = z.string().nullable();

export const scheduleSchema = component('ScheduleDto', z.object({
  ...summaryFields,
  canvas: documentAs(z.record(z.string(), z.unknown()), 'Canvas').optional().describe('The canvas each run starts, when not a single task.'),
  args: z.array(z.unknown()),
  kwargs: z.record(z.string(), z.unknown()),
  options: scheduleCallOptionsSchema,
  schedule: z.union([z.number(), z.string(), crontabSchema]).describe('As given.'),
  timezone: z.string().nullable(),
  jitter: z.number().nullable(),
  overlap: z.enum(OVERLAP_POLICIES),
  catchup_window: z.number().nullable(),
  start_at: givenTime,
  end_at: givenTime,
  limit: z.int().nullable(),
  remaining_runs: z.int().nullable().describe('Runs left under the limit.'),
  spec: z.record(z.string(), z.unknown())
    .describe('The spec as Temporal keeps it: calendars, skip (calendars of times not to run; daylight-saving corrections), intervals (seconds), time zone, jitter.'),
  recent_runs: z.array(scheduleRunSchema).describe('The latest runs, oldest first.'),
  runs_taken: z.int(),
  created_at: dateTime,
  updated_at: dateTime.nullable(),
}));
export type ScheduleDto = z.output<typeof scheduleSchema>;
