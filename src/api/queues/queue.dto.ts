import { z } from 'zod';
import { queueList } from '../query.js';
import { component } from '../zod.js';
import { dateTime } from '../tasks/dto/task.dto.js';

const pollerSchema = component('PollerDto', z.object({
  identity: z.string().describe("The worker's identity (pid@host unless set).").meta({ example: '4242@worker-1' }),
  last_seen: dateTime.nullable().describe('When it last polled this queue.'),
  rate_per_second: z.number().describe('Tasks per second it asked the server to limit the queue to (0: no limit).'),
}));

export const queueSchema = component('QueueDto', z.object({
  name: z.string().meta({ example: 'celery' }),
  kind: z.enum(['task', 'workflow']).describe("task: tasks (activities) run here; workflow: Celerity's own workflows."),
  backlog: z.number().describe('Approximate number of tasks waiting for a worker.'),
  backlog_age_s: z.number().describe('Seconds the oldest waiting task has waited.'),
  add_rate: z.number().describe('Tasks added per second, averaged over the last 30 s.'),
  dispatch_rate: z.number().describe('Tasks handed to workers per second, averaged over the last 30 s.'),
  pollers: z.array(pollerSchema).describe('Workers that polled this queue recently.'),
}));
export type QueueDto = z.output<typeof queueSchema>;

/** `?queue=a,b`: which queues to describe (default: Celerity's workflow queue and every registered task's queue). */
export const queueQuerySchema = z.strictObject({
  queue: queueList.optional().describe('Queue names, comma-separated or repeated.').meta({ example: 'celery' }),
});
export type QueueQuery = z.output<typeof queueQuerySchema>;
