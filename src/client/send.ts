/**
 * Sending tasks and canvases (Celery's `send_task` and `apply_async`): one workflow per task or
 * canvas, its id the task id. Everything is checked against the registry first, so a bad call
 * never reaches Temporal.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import type { CanvasInput } from '../../workflows/canvas.js';
import type { TaskInput } from '../../workflows/task.js';
import { describeShape, type Canvas } from '../canvas/model.js';
import { normalize } from '../canvas/normalize.js';
import { checkCanvasDepth } from '../canvas/parse.js';
import { CANVAS_WORKFLOW_TASK_TIMEOUT } from '../canvas/partition.js';
import { planCanvas } from '../canvas/plan.js';
import { bindArguments, callOptionsFromCelery, planActivity, startDelayMs, UnknownTaskError, type CallOptions, type TaskRegistry } from '../tasks/index.js';
import { isConnected } from '../temporal/connection.js';
import { TASK_NAME, TASK_QUEUE } from '../temporal/search-attributes.js';
import { CANVAS_WORKFLOW, TASK_WORKFLOW } from '../temporal/workflow-types.js';
import type { TaskResults } from './results.js';
import { emptyResult, type TaskResult } from './task-result.js';

/** A task call (Celery's signature): the task's name, its arguments and call options. */
export interface Signature {
  task: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  options?: CallOptions;
}

export class TaskSender {
  constructor(
    private readonly client: Client,
    private readonly registry: TaskRegistry,
    private readonly workflowQueue: string,
    /** Answers for a task id that exists already. */
    private readonly results: Pick<TaskResults, 'get'>,
    /** A client on the NativeConnection of a worker in this process that runs workflowQueue (see CelerityClientOptions). */
    private readonly eager?: Client,
  ) {}

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
    // Built in code, a canvas has not been through parseCanvas's checks: its depth is checked here.
    checkCanvasDepth(parsed);
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
    checkCanvasDepth(parsed);
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
      const { firstExecutionRunId } = await this.start(workflowType, options);
      return { created: true, task: created(firstExecutionRunId) };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { created: false, task: await this.results.get(options.workflowId) };
      throw err;
    }
  }

  /**
   * Starts a workflow, eagerly where a worker in this process can take its first task: the
   * server then answers the start with that task instead of queueing it. A delayed start is
   * queued whatever is asked, so it goes the usual way; so does every start while the client's
   * own connection is down: the worker's connection retries an unreachable server for about
   * 10 s, where the client's gives up within a second (a prompt 503 over REST).
   */
  private start(workflowType: string, options: WorkflowStartOptions) {
    if (!this.eager || options.startDelay || !isConnected(this.client)) return this.client.workflow.start(workflowType, options);
    return this.eager.workflow.start(workflowType, { ...options, requestEagerStart: true });
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
