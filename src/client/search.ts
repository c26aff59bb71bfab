/**
 * Finding tasks (Flower's task list): Temporal visibility queries over Celerity's search
 * attributes. Visibility knows a workflow's status, not the Celery state of a running task,
 * so PENDING, STARTED, RETRY and custom states are all `Running` to it; those tasks (and
 * failed ones, since an expired task is a failed workflow that reads REVOKED) are read
 * exactly with the client's get() before a page is answered.
 */
import { createHash } from 'node:crypto';
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers.js';
import { ROOT_ID, PARENT_ID, SCHEDULE_ID, TASK_NAME, TASK_QUEUE } from '../temporal/search-attributes.js';
import type { CelerityClient } from './client.js';
import { PARTITION_WORKFLOW } from '../temporal/workflow-types.js';
import type { TaskState } from './state.js';

/** Visibility's names for ExecutionStatus. */
export type VisibilityStatus = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'TimedOut' | 'ContinuedAsNew';

export interface TaskFilter {
  task?: string;
  /** One or more Celery states (custom ones such as PROGRESS included). */
  states?: string[];
  queue?: string;
  rootId?: string;
  parentId?: string;
  scheduleId?: string;
  /** Submitted at or after. */
  since?: Date;
  /** Submitted before. */
  until?: Date;
}

/**
 * The statuses a workflow in this state can have. Only SUCCESS maps one to one: an expired
 * task fails its workflow yet reads REVOKED, and every not-ready state is Running.
 */
export function statusesOfState(state: string): VisibilityStatus[] {
  switch (state) {
    case 'SUCCESS':
      return ['Completed'];
    case 'FAILURE':
      return ['Failed', 'TimedOut'];
    case 'REVOKED':
      return ['Canceled', 'Terminated', 'Failed'];
    default:
      return ['Running'];
  }
}

/** The state a task has, as far as its status alone tells; null when only get() can tell. */
export function stateOfStatus(status: VisibilityStatus): TaskState | null {
  switch (status) {
    case 'Completed':
      return 'SUCCESS';
    case 'Canceled':
    case 'Terminated':
      return 'REVOKED';
    case 'TimedOut':
      return 'FAILURE';
    default:
      return null;
  }
}

/** The SDK's status names in visibility's spelling. */
const VISIBILITY_STATUS: Record<WorkflowExecutionStatusName, VisibilityStatus> = {
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Canceled',
  TERMINATED: 'Terminated',
  TIMED_OUT: 'TimedOut',
  CONTINUED_AS_NEW: 'ContinuedAsNew',
  PAUSED: 'Running',
  UNKNOWN: 'Running',
  UNSPECIFIED: 'Running',
};

/** A string literal in Temporal's visibility SQL. */
export function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The child workflows that run parts of a large canvas: not tasks of their own. */

/**
 * The visibility query for Celerity's workflows (those on `workflowQueue`) that match the
 * filter. Newest first is visibility's own order.
 */
export function buildTaskQuery(workflowQueue: string, filter: TaskFilter): string {
  const clauses = [`TaskQueue = ${literal(workflowQueue)}`, `WorkflowType != ${literal(PARTITION_WORKFLOW)}`];
  const equal: Array<[string, string | undefined]> = [
    [TASK_NAME.name, filter.task],
    [TASK_QUEUE.name, filter.queue],
    [ROOT_ID.name, filter.rootId],
    [PARENT_ID.name, filter.parentId],
    [SCHEDULE_ID.name, filter.scheduleId],
  ];
  for (const [attribute, value] of equal) if (value !== undefined) clauses.push(`${attribute} = ${literal(value)}`);
  if (filter.states?.length) {
    const statuses = [...new Set(filter.states.flatMap(statusesOfState))];
    clauses.push(`ExecutionStatus IN (${statuses.map(literal).join(', ')})`);
  }
  if (filter.since) clauses.push(`StartTime >= ${literal(filter.since.toISOString())}`);
  if (filter.until) clauses.push(`StartTime < ${literal(filter.until.toISOString())}`);
  return clauses.join(' AND ');
}

/**
 * Temporal's page token, made safe to pass around as text. The checksum turns a mangled token
 * into a clear 400: the server retries on some garbage tokens until the request times out.
 */
export function encodePageToken(token: Uint8Array): string {
  const bytes = Buffer.from(token);
  return `${bytes.toString('base64url')}.${checksum(bytes)}`;
}

export function decodePageToken(text: string): Buffer {
  const [body, sum, extra] = text.split('.');
  const bytes = Buffer.from(body ?? '', 'base64url');
  if (extra !== undefined || !sum || checksum(bytes) !== sum) throw new InvalidSearchError('page_token is not one this API gave out; pass next_page_token as it came');
  return bytes;
}

function checksum(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 10);
}

/** A task in a list: enough to recognise it; GET /tasks/{id} tells the rest. */
export interface TaskSummary {
  id: string;
  runId: string;
  task: string;
  state: TaskState;
  queue: string | null;
  dateSubmitted: Date;
  /** When a PENDING or RETRY task may start. */
  eta: Date | null;
  dateDone: Date | null;
}

export interface TaskPage {
  items: TaskSummary[];
  /** Give it back as `pageToken` for the next page; null on the last page. */
  nextPageToken: string | null;
}

/** Counts per state; RUNNING counts tasks not ready yet (PENDING, STARTED, RETRY, custom states). */
export type StateCounts = Record<'SUCCESS' | 'FAILURE' | 'REVOKED' | 'RUNNING', number>;

export interface TaskStats {
  total: number;
  byState: StateCounts;
  byTask: Record<string, { total: number; byState: StateCounts }>;
}

export class InvalidSearchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSearchError';
  }
}

const INVALID_ARGUMENT = 3;

export class TaskSearch {
  constructor(
    private readonly temporal: Client,
    private readonly celerity: CelerityClient,
    private readonly workflowQueue: string,
  ) {}

  /** One page of at most `limit` workflows, newest first, narrowed to the states asked for. */
  async list(filter: TaskFilter, limit: number, pageToken?: string): Promise<TaskPage> {
    const nextPageToken = pageToken ? decodePageToken(pageToken) : undefined;
    const response = await this.visibility(() =>
      this.temporal.workflowService.listWorkflowExecutions({
        namespace: this.temporal.options.namespace,
        query: buildTaskQuery(this.workflowQueue, filter),
        pageSize: limit,
        nextPageToken,
      }),
    );
    const converter = this.temporal.options.loadedDataConverter;
    const infos = await Promise.all(
      response.executions.map((raw) => executionInfoFromRaw(raw, converter, raw, this.temporal.options.namespace)),
    );
    const items = await inBatches(
      infos,
      async (info): Promise<TaskSummary> => {
        const status = VISIBILITY_STATUS[info.status.name];
        const known = stateOfStatus(status);
        const summary: TaskSummary = {
          id: info.workflowId,
          runId: info.runId,
          task: info.typedSearchAttributes.get(TASK_NAME) ?? info.type,
          // Only what get() cannot read falls back to this.
          state: known ?? (status === 'Failed' ? 'FAILURE' : 'PENDING'),
          queue: info.typedSearchAttributes.get(TASK_QUEUE) ?? null,
          dateSubmitted: info.startTime,
          eta: null,
          dateDone: info.closeTime ?? null,
        };
        if (known !== null) return summary;
        const exact = await this.celerity.get(info.workflowId).catch(() => undefined);
        return exact ? { ...summary, state: exact.state, eta: exact.eta } : summary;
      },
    );
    const wanted = filter.states?.length ? new Set(filter.states) : undefined;
    const token = response.nextPageToken?.length ? encodePageToken(response.nextPageToken) : null;
    return { items: wanted ? items.filter((item) => wanted.has(item.state)) : items, nextPageToken: token };
  }

  /** Counts per state and per task name, by visibility status (see StateCounts). */
  async stats(filter: Omit<TaskFilter, 'states'>, taskNames: string[]): Promise<TaskStats> {
    const names = filter.task ? [filter.task] : taskNames;
    const [all, ...perTask] = await Promise.all([filter, ...names.map((task) => ({ ...filter, task }))].map((f) => this.countByState(f)));
    return {
      total: sum(all),
      byState: all,
      byTask: Object.fromEntries(
        names.map((name, i) => [name, { total: sum(perTask[i]), byState: perTask[i] }] as const).filter(([, counts]) => counts.total > 0),
      ),
    };
  }

  private async countByState(filter: TaskFilter): Promise<StateCounts> {
    const { groups } = await this.visibility(() =>
      this.temporal.workflow.count(`${buildTaskQuery(this.workflowQueue, filter)} GROUP BY ExecutionStatus`),
    );
    const counts: StateCounts = { SUCCESS: 0, FAILURE: 0, REVOKED: 0, RUNNING: 0 };
    for (const group of groups) {
      const status = String(group.groupValues[0]) as VisibilityStatus;
      const state = status === 'Failed' ? 'FAILURE' : ((stateOfStatus(status) as keyof StateCounts | null) ?? 'RUNNING');
      counts[state] += group.count;
    }
    return counts;
  }

  /** Temporal's INVALID_ARGUMENT is the caller's mistake (e.g. a page token from another query). */
  private async visibility<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: number }).code === INVALID_ARGUMENT) throw new InvalidSearchError(`invalid search: ${(err as Error).message}`);
      throw err;
    }
  }
}

/** Reading a task fetches its history: a page reads at most this many at once. */
const READS_AT_ONCE = 10;

async function inBatches<T, R>(items: T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += READS_AT_ONCE) results.push(...(await Promise.all(items.slice(i, i + READS_AT_ONCE).map(read))));
  return results;
}

function sum(counts: StateCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
