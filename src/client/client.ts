/**
 * The Celerity client (Celery's `apply_async`, `AsyncResult` and `revoke`): starts one
 * workflow per task, whose id is the task id, and reads tasks back from Temporal.
 */
import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import proto from '@temporalio/proto';
import type { CanvasInput } from '../../workflows/canvas.js';
import type { TaskInput } from '../../workflows/task.js';
import { describeShape, type Canvas } from '../canvas/model.js';
import { normalize } from '../canvas/normalize.js';
import { rootOf } from '../canvas/ids.js';
import { CANVAS_WORKFLOW_TASK_TIMEOUT } from '../canvas/partition.js';
import { planCanvas } from '../canvas/plan.js';
import { TASK_NAME, TASK_QUEUE } from '../temporal/search-attributes.js';
import {
  bindArguments, callOptionsFromCelery, planActivity, startDelayMs, UnknownTaskError, type CallOptions, type TaskArgs, type TaskName, type TaskRegistry,
} from '../tasks/index.js';
import { CanvasReader } from './canvas-reader.js';
import { MemberRevokeError, TaskNotFoundError } from './errors.js';
import { AsyncResult } from './result.js';
import { closingFailure, pendingFacts, readHistory, type HistoryEvent } from './history.js';
import { deriveTask, isReady, type TaskFacts } from './state.js';
import { emptyResult, tooLargeState, type TaskResult } from './task-result.js';
import { CANVAS_WORKFLOW, TASK_WORKFLOW } from '../temporal/workflow-types.js';
import { RESULT_TOO_LARGE_ADVICE } from '../tasks/errors.js';

/** A task call (Celery's signature): the task's name, its arguments and call options. */
export interface Signature {
  task: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  options?: CallOptions;
}

export { UnknownTaskError };
export { CanvasUnreadableError, MemberRevokeError, TaskFailedError, TaskNotFoundError, TaskRevokedError, TaskTimeoutError } from './errors.js';
export { AsyncResult } from './result.js';
export type { TaskResult } from './task-result.js';

export interface CelerityClientOptions<R extends TaskRegistry = TaskRegistry> {
  client: Client;
  /** The app's registry; its type makes `sendTask` check each task's arguments at compile time. */
  registry: R;
  workflowQueue: string;
}

/** How long `get` lets a canvas's workflow answer for its members before its history answers. */
const READ_TIMEOUT_MS = 3_000;
/** How long past its timeout `waitResult` lets a canvas's workflow answer, before its history does. */
const ANSWER_GRACE_MS = 500;
// @temporalio/proto is CommonJS without named exports.
const { HistoryEventFilterType } = proto.temporal.api.enums.v1;

export class CelerityClient<R extends TaskRegistry = TaskRegistry> {
  private readonly client: Client;
  private readonly registry: TaskRegistry;
  private readonly workflowQueue: string;
  private readonly canvases: CanvasReader;

  constructor(options: CelerityClientOptions<R>) {
    this.client = options.client;
    this.registry = options.registry;
    this.workflowQueue = options.workflowQueue;
    this.canvases = new CanvasReader(options.client);
  }

  /**
   * Sends task `name` with its positional `args`, checked at compile time against the task's
   * function in the client's registry (Celery's `send_task`, typed): `sendTask('add', [2, 2])`.
   * `kwargs` and call `options` as in `applyAsync`; the same errors (UnknownTaskError,
   * TaskArgumentError, PayloadTooLargeError) when the registry at run time disagrees.
   */
  sendTask<N extends TaskName<R>>(
    name: N,
    args: TaskArgs<R, N>,
    extra: { kwargs?: Record<string, unknown>; options?: CallOptions } = {},
  ): Promise<{ created: boolean; task: TaskResult }> {
    return this.applyAsync({ task: name, args: args as unknown[], ...extra });
  }

  /**
   * Sends a task (Celery's `apply_async`). A task id that already exists answers with that
   * task and never runs it twice; `created` tells which happened.
   */
  async applyAsync(signature: Signature): Promise<{ created: boolean; task: TaskResult }> {
    const now = new Date();
    const start = this.prepare(signature, now);
    const [input] = start.args;
    return this.startOnce(TASK_WORKFLOW, start, (runId) => ({
      ...emptyResult(start.workflowId, input.task, input.plan.queue, now),
      runId,
      args: input.args,
      kwargs: input.kwargs,
      eta: start.startDelay ? new Date(now.getTime() + start.startDelay) : null,
    }));
  }

  /**
   * Sends a canvas (Celery's `apply_async` on a chain, group, chord, ...; `parseCanvas` reads
   * either JSON form):
   * one workflow runs it, its id the canvas's task id. Every member is checked first, so a bad
   * canvas is refused whole. A lone task without callbacks is sent as a plain task.
   */
  async applyCanvas(parsed: Canvas): Promise<{ created: boolean; task: TaskResult }> {
    const canvas = normalize(parsed);
    const { link, link_error: linkError, ...options } = canvas.options;
    if (canvas.kind === 'task' && !link?.length && !linkError?.length) {
      return this.applyAsync({ task: canvas.task, args: canvas.args, kwargs: canvas.kwargs, options: callOptionsFromCelery(options) });
    }
    const now = new Date();
    const rootId = (canvas.options.task_id as string | undefined) ?? randomUUID();
    const input: CanvasInput = planCanvas(canvas, { rootId, registry: this.registry, now, callOptions: callOptionsFromCelery });
    const delay = startDelayMs(callOptionsFromCelery(options), now);
    const start = {
      ...this.canvasStart(canvas, input),
      workflowId: rootId,
      startDelay: delay || undefined,
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      workflowIdConflictPolicy: 'FAIL' as const,
    };
    return this.startOnce(CANVAS_WORKFLOW, start, (runId) => ({
      ...emptyResult(rootId, canvasName(canvas), '', now),
      runId,
      eta: delay ? new Date(now.getTime() + delay) : null,
    }));
  }

  /**
   * Checks a canvas whole and gives the options that start it where the run's id is not known
   * yet (a schedule's runs): the workflow plans it when it starts.
   */
  prepareCanvas(parsed: Canvas, now: Date) {
    const canvas = normalize(parsed);
    planCanvas(canvas, { rootId: 'check', registry: this.registry, now, callOptions: callOptionsFromCelery });
    return { ...this.canvasStart(canvas, { canvas }), workflowType: CANVAS_WORKFLOW };
  }

  /** What every start of a canvas workflow carries: its queue, input, summary and name. */
  private canvasStart(canvas: Canvas, input: CanvasInput) {
    return {
      taskQueue: this.workflowQueue,
      args: [input],
      staticSummary: describeShape(canvas),
      typedSearchAttributes: [{ key: TASK_NAME, value: canvasName(canvas) }],
      workflowTaskTimeout: CANVAS_WORKFLOW_TASK_TIMEOUT,
    };
  }

  /** Starts a task's workflow; an id that exists answers with that task and runs nothing again. */
  private async startOnce(
    workflowType: string,
    options: WorkflowStartOptions,
    created: (runId: string) => TaskResult,
  ): Promise<{ created: boolean; task: TaskResult }> {
    try {
      const { firstExecutionRunId } = await this.client.workflow.start(workflowType, options);
      return { created: true, task: created(firstExecutionRunId) };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { created: false, task: await this.get(options.workflowId) };
      throw err;
    }
  }

  /**
   * Checks a signature and turns it into the options that start its workflow. Rejects an
   * unknown task or arguments that do not fit it, before anything reaches Temporal.
   * Schedules start tasks with the same options.
   */
  prepare(signature: Signature, now: Date) {
    const definition = this.registry.get(signature.task);
    if (!definition) throw new UnknownTaskError(signature.task);
    const args = signature.args ?? [];
    const kwargs = signature.kwargs ?? {};
    const options = signature.options ?? {};
    bindArguments(definition.name, definition.options.params, args, kwargs);
    const plan = planActivity(definition.name, definition.options, options, now);
    const input: TaskInput = { task: definition.name, args, kwargs, plan };
    return {
      taskQueue: this.workflowQueue,
      workflowId: options.taskId ?? randomUUID(),
      args: [input] as [TaskInput],
      startDelay: startDelayMs(options, now) || undefined,
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      workflowIdConflictPolicy: 'FAIL' as const,
      staticSummary: summarize(definition.name, args, kwargs),
      typedSearchAttributes: [
        { key: TASK_NAME, value: definition.name },
        { key: TASK_QUEUE, value: plan.queue },
      ],
    };
  }

  /** A handle on task `id` (Celery's `app.AsyncResult(id)`): its state, result, children, revoke. */
  asyncResult(id: string): AsyncResult {
    return new AsyncResult(id, this);
  }

  /** The task's current state, result and metadata (Celery's `AsyncResult`). */
  async get(id: string): Promise<TaskResult> {
    return this.read(id, Date.now() + READ_TIMEOUT_MS);
  }

  /** As `get`, answering by `deadline` (ms since the epoch) from the history what a canvas's workflow has not. */
  private async read(id: string, deadline: number): Promise<TaskResult> {
    const description = await this.describe(rootOf(id), id);
    if (description.type === TASK_WORKFLOW && description.workflowId !== id) throw new TaskNotFoundError(id);
    // A member id leads to the workflow that ran its canvas: Celerity's, or one of yours (runCanvas),
    // whose own id reads as the canvas it ran.
    if (description.type !== TASK_WORKFLOW || description.workflowId !== id) return this.canvases.read(id, description, deadline);
    const history = await this.client.workflow.getHandle(id, description.runId).fetchHistory();
    return this.readTask(id, description, history.events ?? []);
  }

  /** Waits up to `timeoutS` seconds for the task to be ready, then answers as `get` does. */
  async waitResult(id: string, timeoutS: number): Promise<TaskResult> {
    const deadline = Date.now() + timeoutS * 1000;
    if (rootOf(id) === id) {
      // A whole task or canvas is ready when its workflow closes: wait for that, then read it once.
      while (Date.now() < deadline && (await this.describe(id)).status.name === 'RUNNING') {
        await this.waitForClose(id, deadline);
      }
      return this.read(id, deadline + ANSWER_GRACE_MS);
    }
    for (;;) {
      const task = await this.read(id, deadline + ANSWER_GRACE_MS);
      if (isReady(task.state) || Date.now() >= deadline) return task;
      await this.waitForClose(rootOf(id), Math.min(deadline, Date.now() + 1000));
    }
  }

  /**
   * Revokes a task (Celery's `revoke`): without `terminate` the task is cancelled and may
   * clean up; with it, it is stopped at once. A task that is already ready is left as it is.
   */
  async revoke(id: string, options: { terminate?: boolean; reason?: string } = {}): Promise<TaskResult> {
    const task = await this.get(id);
    if (isReady(task.state)) return task;
    if (rootOf(id) !== id) throw new MemberRevokeError(id, rootOf(id));
    const reason = options.reason ?? 'revoked by request';
    // A workflow whose workflow task keeps failing would never take a cancel: it is stopped at once.
    if (options.terminate || !(await this.canTakeCancel(id))) {
      await this.client.workflow.getHandle(id).terminate(reason);
    } else {
      await this.client.workflowService.requestCancelWorkflowExecution({
        namespace: this.client.options.namespace,
        workflowExecution: { workflowId: id },
        identity: this.client.options.identity,
        requestId: randomUUID(),
        reason,
      });
    }
    return this.get(id);
  }

  /** Whether the workflow runs its workflow tasks, so that it can take a cancel and clean up. */
  private async canTakeCancel(id: string): Promise<boolean> {
    return ((await this.describe(id)).raw.pendingWorkflowTask?.attempt ?? 1) <= 1;
  }

  /** The workflow that runs a task; `id` (the task's, a member's) names it when it is missing. */
  private async describe(workflowId: string, id = workflowId): Promise<WorkflowExecutionDescription> {
    try {
      return await this.client.workflow.getHandle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new TaskNotFoundError(id);
      throw err;
    }
  }

  /** Long-polls the history for the close event until the deadline. */
  private async waitForClose(id: string, deadline: number): Promise<void> {
    try {
      await this.client.connection.withDeadline(deadline, () =>
        this.client.workflowService.getWorkflowExecutionHistory({
          namespace: this.client.options.namespace,
          execution: { workflowId: id },
          waitNewEvent: true,
          historyEventFilterType: HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
          skipArchival: true,
        }),
      );
    } catch (err) {
      if (Date.now() < deadline) throw err;
    }
  }

  /** A task run alone: its workflow's status decides its state, its activity the rest, as for a canvas member. */
  private async readTask(id: string, description: WorkflowExecutionDescription, events: HistoryEvent[]): Promise<TaskResult> {
    const converter = this.client.options.loadedDataConverter;
    const record = await readHistory(converter, events);
    const input = record.input as TaskInput;
    const closing = events[events.length - 1];
    const pending = description.raw.pendingActivities?.[0];
    const facts: TaskFacts = {
      workflowStatus: description.status.name,
      pendingActivity: pending ? await pendingFacts(converter, pending) : undefined,
      activity: record.activities.get(id),
      failure: await closingFailure(converter, closing),
    };
    const completed = closing?.workflowExecutionCompletedEventAttributes;
    const [result] = completed ? await decodeArrayFromPayloads(converter, completed.result?.payloads) : [null];
    const tooLarge = tooLargeState(`the result of ${input.task}`, result, RESULT_TOO_LARGE_ADVICE);
    const task = deriveTask(facts);
    const derived = tooLarge ?? task;
    const delayed = description.executionTime && description.executionTime > description.startTime;

    return {
      ...emptyResult(id, input.task, input.plan.queue, description.startTime),
      runId: description.runId,
      state: derived.state,
      result: tooLarge ? null : (result ?? null),
      error: derived.error,
      reason: derived.reason ?? null,
      args: input.args,
      kwargs: input.kwargs,
      retries: task.retries,
      meta: derived.meta ?? null,
      eta: task.eta ?? (delayed && derived.state === 'PENDING' ? (description.executionTime ?? null) : null),
      dateStarted: task.dateStarted,
      dateDone: description.closeTime ?? null,
    };
  }
}

/** A canvas is listed under its task's name, or its shape's kind (chain, group, ...). */
function canvasName(canvas: Canvas): string {
  return canvas.kind === 'task' ? canvas.task : canvas.kind;
}

/**
 * A short, readable call (`add(2, 2)`) shown as the workflow's summary in the Temporal UI, at
 * most 200 characters. Arguments are rendered as JSON with an explicit stack, and only as far
 * as the summary shows: they may be large or nested deeper than the call stack allows.
 */
export function summarize(task: string, args: unknown[], kwargs: Record<string, unknown>): string {
  const limit = 200;
  /** Text to write as it is, or a value to render. */
  type Piece = string | { value: unknown };
  const listed = (open: string, entries: Array<[string, unknown]>, close: string, separator = ','): Piece[] => [
    open,
    ...entries.flatMap(([prefix, value], i): Piece[] => [`${i ? separator : ''}${prefix}`, { value }]),
    close,
  ];
  const parameters = [...args.slice(0, limit).map((a): [string, unknown] => ['', a]), ...Object.entries(kwargs).map(([k, v]): [string, unknown] => [`${k}=`, v])];
  const todo = listed('(', parameters, ')', ', ').reverse();
  let call = task;
  while (todo.length && call.length <= limit) {
    const piece = todo.pop()!;
    if (typeof piece === 'string') {
      call += piece;
      continue;
    }
    const value = (piece.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? piece.value;
    if (Array.isArray(value)) todo.push(...listed('[', value.slice(0, limit).map((v) => ['', v]), ']').reverse());
    else if (value !== null && typeof value === 'object') {
      todo.push(...listed('{', Object.keys(value).slice(0, limit).map((k) => [`${JSON.stringify(k)}:`, (value as Record<string, unknown>)[k]]), '}').reverse());
    } else call += typeof value === 'string' ? JSON.stringify(value.slice(0, limit + 1)) : String(JSON.stringify(value) ?? null);
  }
  return call.length > limit ? `${call.slice(0, limit - 1)}…` : call;
}
