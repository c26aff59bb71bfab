/** `celerity inspect registered|active|scheduled|queues|workers` (Celery's `celery inspect`). */
import { CliError, EXIT, type ApiClient, type ApiSchemas } from './api-client.js';
import { printJson, table } from './output.js';

type Page = ApiSchemas['TaskPageDto'];
type TaskSummary = ApiSchemas['TaskSummaryDto'];
type Queue = ApiSchemas['QueueDto'];
type Worker = ApiSchemas['WorkerDto'];
type TaskType = ApiSchemas['TaskTypeDto'];

/** At most this many pages are read: a page can hold few matches, since running states are checked per task. */
const MAX_PAGES = 10;

/** Tasks in these states, newest first, following page tokens. */
async function tasksIn(api: ApiClient, states: string[]): Promise<TaskSummary[]> {
  const found: TaskSummary[] = [];
  let token: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ state: states.join(','), limit: '100', ...(token ? { page_token: token } : {}) });
    const answer: Page = await api.get<Page>(`/tasks?${query}`);
    found.push(...answer.items);
    token = answer.next_page_token;
    if (!token) break;
  }
  return found;
}

const taskRows = (tasks: TaskSummary[]) => tasks.map((t) => [t.id, t.task, t.state, t.queue, t.eta ?? t.date_submitted]);

export const INSPECTIONS = {
  registered: {
    help: 'registered tasks and their queues',
    async run(api: ApiClient) {
      const types = await api.get<TaskType[]>('/task-types');
      return { data: types, text: table(['TASK', 'PARAMS', 'QUEUE', 'RATE LIMIT'], types.map((t) => [t.name, t.params?.join(', ') ?? null, t.queue, t.rate_limit])) };
    },
  },
  active: {
    help: 'tasks running now (STARTED or reporting PROGRESS)',
    async run(api: ApiClient) {
      const tasks = await tasksIn(api, ['STARTED', 'PROGRESS']);
      return { data: tasks, text: table(['ID', 'TASK', 'STATE', 'QUEUE', 'SUBMITTED'], taskRows(tasks)) };
    },
  },
  scheduled: {
    help: 'tasks waiting for their countdown, eta or next retry',
    async run(api: ApiClient) {
      const tasks = (await tasksIn(api, ['PENDING', 'RETRY'])).filter((t) => t.eta !== null);
      return { data: tasks, text: table(['ID', 'TASK', 'STATE', 'QUEUE', 'ETA'], taskRows(tasks)) };
    },
  },
  queues: {
    help: 'queues with their backlog, dispatch rate and pollers',
    async run(api: ApiClient) {
      const queues = await api.get<Queue[]>('/queues');
      return {
        data: queues,
        text: table(
          ['QUEUE', 'KIND', 'BACKLOG', 'OLDEST (s)', 'DISPATCH/s', 'POLLERS'],
          queues.map((q) => [q.name, q.kind, q.backlog, q.backlog_age_s.toFixed(1), q.dispatch_rate.toFixed(2), q.pollers.length]),
        ),
      };
    },
  },
  workers: {
    help: 'workers and the queues they poll',
    async run(api: ApiClient) {
      const workers = await api.get<Worker[]>('/workers');
      return { data: workers, text: table(['WORKER', 'LAST SEEN', 'QUEUES'], workers.map((w) => [w.identity, w.last_seen, w.queues.map((q) => q.name).join(', ')])) };
    },
  },
} as const;

export async function inspect(api: ApiClient, what: string, options: { json?: boolean }): Promise<number> {
  const inspection = INSPECTIONS[what as keyof typeof INSPECTIONS];
  if (!inspection) throw new CliError(`inspect what? one of: ${Object.keys(INSPECTIONS).join(', ')}`, EXIT.REJECTED);
  const { data, text } = await inspection.run(api);
  if (options.json) printJson(data);
  else process.stdout.write(`${data.length ? text : `(no ${what})`}\n`);
  return EXIT.OK;
}
