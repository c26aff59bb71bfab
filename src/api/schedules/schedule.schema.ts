/** The request shapes of the schedules routes, in zod: their validation, types and OpenAPI components. */
import { z } from 'zod';
import { OVERLAP_POLICIES } from '../../beat/spec.js';
import { CanvasError, parseCanvas, strictCallOptions } from '../../canvas/parse.js';
import { isoTime, shallow } from '../../canvas/schema.js';
import { component, documentAs } from '../zod.js';

const overlap = (fallback: string) => z.enum(OVERLAP_POLICIES, { error: `must be one of ${OVERLAP_POLICIES.join(', ')}` })
  .optional()
  .describe(`A run due while the last one still runs: skip it, buffer one or all, cancel or terminate the running one, or allow all (default ${fallback}).`);
const note = z.string({ error: 'must be a string' }).max(1000, { error: 'must be at most 1000 characters' });
const CRONTAB_FIELD = 'must be a string, a whole number or a list of them';
const crontabValue = z.union([z.string({ error: CRONTAB_FIELD }), z.int({ error: CRONTAB_FIELD })], { error: CRONTAB_FIELD });
const crontabField = (description: string) => z.union([crontabValue, z.array(crontabValue, { error: CRONTAB_FIELD })], { error: CRONTAB_FIELD }).optional().describe(description);

/** Celery's `crontab(...)`: each field as Celery takes it; a missing field matches everything. */
export const crontabSchema = component('CrontabDto', z.strictObject({
  minute: crontabField('0-59, e.g. */15'),
  hour: crontabField('0-23, e.g. 0,12'),
  day_of_week: crontabField('0-6 or 7 (0 and 7 are Sunday) or sun..sat, e.g. mon-fri'),
  day_of_month: crontabField('1-31'),
  month_of_year: crontabField('1-12 or jan..dec'),
}));

/** Call options for every run: a run gets its own id and starts when due (no task_id, countdown or eta). */
export const scheduleCallOptionsSchema = component('ScheduleCallOptionsDto', shallow.callOptions
  .omit({ task_id: true, countdown: true, eta: true, link: true, link_error: true })
  .extend({
    expires: z.number({ error: 'must be a number of seconds (at least 0)' }).min(0, { error: 'must be a number of seconds (at least 0)' }).optional()
      .describe('Revoke a run that has not started this many seconds after it was due.'),
  }));

/** A schedule's canvas: any canvas POST /tasks takes, checked as it checks one. */
const canvas = z.record(z.string(), z.unknown(), { error: 'must be an object' }).superRefine((value, ctx) => {
  try {
    parseCanvas(value, strictCallOptions);
  } catch (err) {
    if (!(err instanceof CanvasError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.problem, path: err.path ? [err.path] : [] });
  }
});
documentAs(canvas, 'Canvas');

const bodyFields = {
  task: z.string({ error: 'must be a string' }).regex(/\S/, { error: 'must not be empty' }).optional().describe('Registered task name (or give `canvas`).').meta({ example: 'add' }),
  canvas: canvas.optional().describe('A canvas to run instead of a task, in either JSON form of POST /tasks (chain, group, chord, ...).'),
  args: z.array(z.unknown(), { error: 'must be an array' }).optional().meta({ example: [2, 2] }),
  kwargs: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  options: scheduleCallOptionsSchema.optional(),
  schedule: z.union([z.number(), z.string(), crontabSchema], { error: (iss) => (iss.input === undefined ? 'is required: seconds, "every 30s", a cron string or crontab fields' : 'must be seconds, "every 30s", a cron string or crontab fields') })
    .describe('When it runs: whole seconds (at least 1), an interval ("every 30s", "5m", "1h 30m"), a five-field cron string ("*/15 * * * mon-fri", "@daily") or crontab fields.')
    .meta({ example: 'every 30s' }),
  timezone: z.string({ error: 'must be a string' }).optional().describe('IANA time zone of crontab and cron schedules (default UTC).').meta({ example: 'Europe/Paris' }),
  jitter: z.int({ error: 'must be a whole number of seconds (at least 0)' }).min(0, { error: 'must be a whole number of seconds (at least 0)' }).optional()
    .describe('Delay each run by a random number of seconds up to this.'),
  overlap: overlap('skip'),
  catchup_window: z.int({ error: 'must be a whole number of seconds (at least 1)' }).min(1, { error: 'must be a whole number of seconds (at least 1)' }).optional()
    .describe('Seconds: after an outage, runs missed by at most this long still happen (default 31536000).'),
  start_at: isoTime.optional().describe('No run before this time.'),
  end_at: isoTime.optional().describe('No run after this time.'),
  limit: z.int({ error: 'must be a whole number of at least 1' }).min(1, { error: 'must be a whole number of at least 1' }).optional().describe('Stop after this many runs.'),
};

/** A periodic task: Celery's beat_schedule entry, and how Temporal runs it. */
const scheduleBodySchema = z.strictObject(bodyFields);
export type ScheduleBody = z.output<typeof scheduleBodySchema>;

export const createScheduleSchema = component('CreateScheduleDto', z.strictObject({
  id: z.string({ error: 'may only contain letters, digits and _ . : @ - (at most 200)' }).regex(/^[\w.:@-]{1,200}$/, { error: 'may only contain letters, digits and _ . : @ - (at most 200)' })
    .describe('The schedule id (the beat_schedule entry\'s name); runs\' task ids are `<id>-<time>`.').meta({ example: 'add-every-30s' }),
  ...bodyFields,
  paused: z.boolean({ error: 'must be a boolean' }).optional().describe('Create it paused.'),
  note: note.optional().describe('Why, e.g. why it is paused.'),
}));
export type CreateSchedule = z.output<typeof createScheduleSchema>;

/** The fields to change; null removes an optional one. */
export const updateScheduleSchema = component('UpdateScheduleDto', z.strictObject(
  Object.fromEntries(Object.entries(bodyFields).map(([key, schema]) => [key, schema.nullish()])) as { [K in keyof typeof bodyFields]: z.ZodOptional<z.ZodNullable<(typeof bodyFields)[K]>> },
));
export type UpdateSchedule = z.output<typeof updateScheduleSchema>;

export const noteSchema = component('NoteDto', z.strictObject({ note: note.optional().describe('Why, shown with the schedule.').meta({ example: 'maintenance until 14:00' }) }));
export const triggerScheduleSchema = component('TriggerScheduleDto', z.strictObject({ overlap: overlap('allow_all') }));
export const backfillScheduleSchema = component('BackfillScheduleDto', z.strictObject({
  start: isoTime.describe('Start of the time range whose due runs are taken now.'),
  end: isoTime.describe('End of the time range.'),
  overlap: overlap('buffer_all'),
}));
