/** A task as REST shows it, and the requests on one task: zod schemas, their types and their OpenAPI components. */
import { z } from 'zod';
import type { TaskResult } from '../../../client/client.js';
import { component } from '../../zod.js';

const taskErrorSchema = component('TaskErrorDto', z.object({
  type: z.string().meta({ example: 'ExpectedError' }),
  message: z.string().meta({ example: 'boom' }),
  traceback: z.string().nullable(),
}));

/** Any JSON value (a task's result, a custom state's meta): the document must not narrow it to an object. */
const jsonValue = (description: string) => z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullable().describe(description);
/** A time as every answer writes it. */
export const dateTime = z.iso.datetime();

/** A task as Celery's result backend would describe it. */
export const taskSchema = component('TaskDto', z.object({
  id: z.string(),
  task: z.string().meta({ example: 'add' }),
  state: z.string().describe('PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED, or a custom state the task reports (e.g. PROGRESS).').meta({ example: 'SUCCESS' }),
  result: jsonValue('The return value once SUCCESS.'),
  error: taskErrorSchema.nullable(),
  reason: z.enum(['revoked', 'expired', 'terminated']).nullable().describe('Why a REVOKED task was revoked.'),
  meta: jsonValue('Meta of a custom state such as PROGRESS.'),
  args: z.array(z.unknown()),
  kwargs: z.record(z.string(), z.unknown()),
  retries: z.int(),
  queue: z.string().meta({ example: 'celery' }),
  date_submitted: dateTime,
  eta: dateTime.nullable().describe('When a delayed task may start.'),
  date_started: dateTime.nullable(),
  date_done: dateTime.nullable(),
  parent_id: z.string().nullable(),
  get children(): z.ZodArray<typeof taskSchema> {
    return z.array(taskSchema);
  },
  temporal_ui: z.string().optional().describe("This task's history in the Temporal Web UI."),
}));
export type TaskDto = z.output<typeof taskSchema>;

export function toTaskDto(task: TaskResult, uiLink: (id: string, runId: string | null) => string): TaskDto {
  return {
    id: task.id,
    task: task.task,
    state: task.state,
    result: task.result as TaskDto['result'],
    error: task.error,
    reason: task.reason as TaskDto['reason'],
    meta: task.meta as TaskDto['meta'],
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

const TIMEOUT = 'must be a number of seconds from 0 to 3600';
export const resultQuerySchema = z.strictObject({
  timeout: z.coerce.number({ error: TIMEOUT }).min(0, { error: TIMEOUT }).max(3600, { error: TIMEOUT }).optional()
    .describe('Seconds to wait for the task to be ready (default 0).'),
});

export const revokeTaskSchema = component('RevokeTaskDto', z.strictObject({
  terminate: z.boolean({ error: 'must be a boolean' }).optional().describe('Stop the task now instead of letting it clean up (default false).'),
  reason: z.string({ error: 'must be a string' }).max(1000, { error: 'must be at most 1000 characters' }).optional().describe("Recorded in the task's Temporal history."),
}));
