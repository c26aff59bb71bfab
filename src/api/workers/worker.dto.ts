import { z } from 'zod';
import { dateTime } from '../tasks/dto/task.dto.js';
import { component } from '../zod.js';

const workerQueueSchema = component('WorkerQueueDto', z.object({
  name: z.string().meta({ example: 'celery' }),
  kind: z.enum(['task', 'workflow']),
  last_seen: dateTime.nullable(),
}));

/** A worker as Temporal sees it: an identity polling one or more queues. */
export const workerSchema = component('WorkerDto', z.object({
  identity: z.string().meta({ example: '4242@worker-1' }),
  last_seen: dateTime.nullable().describe('Its latest poll on any queue.'),
  queues: z.array(workerQueueSchema),
}));
export type WorkerDto = z.output<typeof workerSchema>;
