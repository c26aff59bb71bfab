/**
 * The Celerity client (Celery's `apply_async`, `AsyncResult` and `revoke`): starts one
 * workflow per task, whose id is the task id, and reads tasks back from Temporal.
 */
import { randomUUID } from 'node:crypto';
import {
  QueryNotRegisteredError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { ApplicationFailure, type TemporalFailure } from '@temporalio/common';
import {
  decodeArrayFromPayloads,
  decodeOptionalFailureToOptionalError,
} from '@temporalio/common/lib/internal-non-workflow/index.js';
import { optionalTsToDate } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import type { CanvasInput, MemberState } from '../../workflows/canvas.js';
import type { TaskInput } from '../../workflows/task.js';
import { describeShape, type Canvas } from '../canvas/model.js';
import { normalize } from '../canvas/normalize.js';
import { rootOf } from '../canvas/ids.js';
import { CANVAS_WORKFLOW_TASK_TIMEOUT } from '../canvas/partition.js';
import { planCanvas } from '../canvas/plan.js';
import { encodingOf } from '../temporal/codec.js';
import { TASK_NAME, TASK_QUEUE } from '../temporal/search-attributes.js';
import {
  isTooLarge, PAYLOAD_LIMIT_BYTES, RESULTS_TOO_LARGE_ADVICE, tooLargeFailure, TOO_LARGE_ENCODING, TOO_LARGE_KEY,
} from '../temporal/payload-marker.js';
import {
  bindArguments, callOptionsFromCelery, planActivity, startDelayMs, UnknownTaskError, type CallOptions, type TaskProgress, type TaskRegistry,
} from '../tasks/index.js';
import { deriveState, isReady, type DerivedState, type TaskError, type TaskFacts, type TaskState } from './state.js';
import { PayloadTooLargeError, RESULT_TOO_LARGE_ADVICE, type RevokeReason } from '../tasks/errors.js';

/** A task call (Celery's signature): the task's name, its arguments and call options. */
export interface Signature {
  task: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  options?: CallOptions;
}

/** Everything known about one task (Celery's AsyncResult, with its metadata). */
export interface TaskResult {
  id: string;
  /** The Temporal run that carries the task. */
  runId: string | null;
  task: string;
  state: TaskState;
  result: unknown;
  error: TaskError | null;
  /** Why a REVOKED task was revoked: revoked, expired or terminated. */
  reason: RevokeReason | null;
  meta: unknown;
  args: unknown[];
  kwargs: Record<string, unknown>;
  retries: number;
  queue: string;
  dateSubmitted: Date;
  /** When a PENDING task may start (countdown, eta), or when a RETRY task's next attempt starts. */
  eta: Date | null;
  dateStarted: Date | null;
  dateDone: Date | null;
  parentId: string | null;
  children: TaskResult[];
}

export { UnknownTaskError };

/** The workflow running a canvas could not answer for its members (no worker, or it is failing). */
export class CanvasUnreadableError extends Error {
  override name = 'CanvasUnreadableError';
  constructor(readonly taskId: string, cause: Error) {
    super(`the members of ${taskId} cannot be read now (${cause.message}); is a worker running?`);
  }
}

export class TaskNotFoundError extends Error {
  constructor(readonly taskId: string) {
    super(`no task with id ${JSON.stringify(taskId)}`);
    this.name = 'TaskNotFoundError';
  }
}

export interface CelerityClientOptions {
  client: Client;
  registry: TaskRegistry;
  workflowQueue: string;
}

export const WORKFLOW_TYPE = 'task';
const CANVAS_WORKFLOW_TYPE = 'canvas';
/** Celerity's workflows whose result is their canvas's. */
const CELERITY_CANVAS_TYPES = [CANVAS_WORKFLOW_TYPE, 'canvasPartition'];
/** Children listed per member in a canvas's tree; `GET` a member for more of its own. */
const CHILDREN_SHOWN = 200;
const MEMBERS_QUERY = 'members';
/**
 * When a canvas's members are over the payload limit together, they are asked for again with
 * their largest values left out until the answer's JSON is this long: it then fits the limit
 * even if every character took 3 bytes and gzip could not shrink it.
 */
const MEMBERS_BUDGET_CHARS = Math.floor(PAYLOAD_LIMIT_BYTES / 4);
const LOCATE_QUERY = 'locate';
// @temporalio/proto is CommonJS without named exports.
const { temporal } = proto;
const { EventType, HistoryEventFilterType, PendingActivityState } = temporal.api.enums.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
type PendingActivity = proto.temporal.api.workflow.v1.IPendingActivityInfo;

export class CelerityClient {
  private readonly client: Client;
  private readonly registry: TaskRegistry;
  private readonly workflowQueue: string;

  constructor(options: CelerityClientOptions) {
    this.client = options.client;
    this.registry = options.registry;
    this.workflowQueue = options.workflowQueue;
  }

  /**
   * Sends a task (Celery's `apply_async`). A task id that already exists answers with that
   * task and never runs it twice; `created` tells which happened.
   */
  async apply(signature: Signature): Promise<{ created: boolean; task: TaskResult }> {
    const now = new Date();
    const start = this.prepare(signature, now);
    const [input] = start.args;
    return this.startOnce(WORKFLOW_TYPE, start, (runId) => ({
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
      return this.apply({ task: canvas.task, args: canvas.args, kwargs: canvas.kwargs, options: callOptionsFromCelery(options) });
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
    return this.startOnce(CANVAS_WORKFLOW_TYPE, start, (runId) => ({
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
    return { ...this.canvasStart(canvas, { canvas }), workflowType: CANVAS_WORKFLOW_TYPE };
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

  /** The task's current state, result and metadata (Celery's `AsyncResult`). */
  async get(id: string): Promise<TaskResult> {
    const handle = this.client.workflow.getHandle(rootOf(id));
    const description = await this.describe(rootOf(id), id);
    // A member id leads to the workflow that ran its canvas: Celerity's, or one of yours (runCanvas),
    // whose own id reads as the canvas it ran.
    if (description.type !== WORKFLOW_TYPE || description.workflowId !== id) return this.readCanvas(id, description);
    const history = await handle.fetchHistory();
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
      return this.get(id);
    }
    for (;;) {
      const task = await this.get(id);
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
    const reason = options.reason ?? 'revoked by request';
    if (options.terminate) {
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

  private async pendingFacts(pending: PendingActivity): Promise<NonNullable<TaskFacts['pendingActivity']>> {
    const converter = this.client.options.loadedDataConverter;
    const [progress] = await decodeArrayFromPayloads(converter, pending.heartbeatDetails?.payloads);
    return {
      state: pendingActivityState(pending.state),
      attempt: pending.attempt ?? 1,
      lastFailure: toTaskError(await decodeOptionalFailureToOptionalError(converter, pending.lastFailure)),
      progress: (progress as TaskProgress | null | undefined) ?? undefined,
    };
  }

  /** The failure a closed workflow ended with, with its details (e.g. a revoke reason). */
  private async closingFailure(closing: HistoryEvent | undefined): Promise<TaskFacts['failure']> {
    const failed = closing?.workflowExecutionFailedEventAttributes?.failure;
    if (!failed) return undefined;
    const error = await decodeOptionalFailureToOptionalError(this.client.options.loadedDataConverter, failed);
    return { ...toTaskError(error)!, details: error instanceof ApplicationFailure ? (error.details ?? undefined) : undefined };
  }

  /**
   * A canvas member and its subtree, from the workflow that holds it: the canvas's own or, in
   * a large canvas, the partition its `locate` query names. A partition that has started
   * answers for itself from its own workflow.
   */
  private async readCanvas(id: string, canvasDescription: WorkflowExecutionDescription): Promise<TaskResult> {
    for (let description = canvasDescription; ; ) {
      const members = await this.queryMembers(description.workflowId, id);
      const member = members.find((m) => m.id === id);
      const next = member ? (member.kind === 'partition' ? id : null) : await this.queryCanvas<string | null>(description.workflowId, id, LOCATE_QUERY, id);
      const holder = next && next !== description.workflowId ? await this.describe(next).catch(() => undefined) : undefined;
      if (holder) description = holder;
      else if (member) return this.readMembers(member, members, description);
      else throw new TaskNotFoundError(id);
    }
  }

  /**
   * Member `id` and its subtree. Over the payload limit together (the codec answers a marker
   * instead), they are asked for again with their largest values replaced by markers.
   */
  private async queryMembers(workflowId: string, id: string): Promise<MemberState[]> {
    const answer = await this.queryCanvas<MemberState[] | unknown>(workflowId, id, MEMBERS_QUERY, id, CHILDREN_SHOWN);
    if (!isTooLarge(answer)) return answer as MemberState[];
    const smaller = await this.queryCanvas<MemberState[] | unknown>(workflowId, id, MEMBERS_QUERY, id, CHILDREN_SHOWN, MEMBERS_BUDGET_CHARS);
    if (!isTooLarge(smaller)) return smaller as MemberState[];
    const { size, limit } = smaller[TOO_LARGE_KEY];
    throw new PayloadTooLargeError(`the tree of ${id}`, size, limit, 'GET its members one by one instead');
  }

  /** Asks the workflow of a canvas (or partition) about member `id`. */
  private async queryCanvas<T>(workflowId: string, id: string, query: string, ...args: unknown[]): Promise<T> {
    return this.client.workflow.getHandle(workflowId).query<T, unknown[]>(query, ...args).catch((err: Error) => {
      // A workflow that never ran a canvas has no members to answer for.
      if (err instanceof QueryNotRegisteredError) throw new TaskNotFoundError(id);
      throw new CanvasUnreadableError(id, err);
    });
  }

  /** A member and its subtree as its workflow answered, with its pending activities (their ids are the members'). */
  private async readMembers(member: MemberState, answered: MemberState[], description: WorkflowExecutionDescription): Promise<TaskResult> {
    const { id } = member;
    const handle = this.client.workflow.getHandle(description.workflowId);
    const members = new Map(answered.map((m) => [m.id, m]));
    const pending = new Map((description.raw.pendingActivities ?? []).map((p) => [p.activityId!, p]));
    const history = await handle.fetchHistory();
    const workflowFailure = await this.closingFailure(history.events?.[history.events.length - 1]);

    const build = async (state: MemberState): Promise<TaskResult> => {
      const activity = pending.get(state.id);
      const facts: TaskFacts = { workflowStatus: 'RUNNING', pendingActivity: activity ? await this.pendingFacts(activity) : undefined };
      const running = state.state === 'STARTED' && state.kind === 'task' ? deriveState(facts) : undefined;
      const derived = running ?? { state: state.state, error: state.error, meta: undefined };
      return {
        ...emptyResult(state.id, state.task, state.queue ?? '', description.startTime),
        runId: description.runId,
        state: derived.state,
        result: state.result,
        error: derived.error,
        meta: derived.meta ?? null,
        args: state.args,
        kwargs: state.kwargs,
        retries: Math.max(0, (activity?.attempt ?? 1) - 1),
        dateStarted: state.dateStarted ? new Date(state.dateStarted) : null,
        dateDone: state.dateDone ? new Date(state.dateDone) : null,
        parentId: state.parentId,
        children: await Promise.all(state.children.map((child) => build(members.get(child)!))),
      };
    };
    const result = await build(member);
    if (id !== description.workflowId || description.status.name === 'RUNNING') return result;
    // The canvas itself ends as its workflow did (a revoke or an expiry included).
    const completed = history.events?.[history.events.length - 1]?.workflowExecutionCompletedEventAttributes;
    // The workflow's result is read only when it matters: a marker stood in for it, or the members' answer left it out.
    const stored = completed?.result?.payloads?.[0];
    const needed = stored && (encodingOf(stored) === TOO_LARGE_ENCODING || isTooLarge(result.result));
    const [value] = needed ? await decodeArrayFromPayloads(this.client.options.loadedDataConverter, completed!.result!.payloads) : [];
    const tooLarge = tooLargeState(`the result of ${description.type} ${id}`, value, RESULTS_TOO_LARGE_ADVICE);
    const derived = tooLarge ?? deriveState({ workflowStatus: description.status.name, failure: workflowFailure });
    // A canvas's result is its workflow's, which the members' answer may have left out (see queryMembers).
    const elided = completed && isTooLarge(result.result) && CELERITY_CANVAS_TYPES.includes(description.type);
    return {
      ...result,
      result: tooLarge ? null : elided ? value : result.result,
      state: derived.state, error: derived.error, reason: derived.reason ?? null, dateDone: description.closeTime ?? null,
    };
  }

  private async readTask(id: string, description: WorkflowExecutionDescription, events: HistoryEvent[]): Promise<TaskResult> {
    const converter = this.client.options.loadedDataConverter;
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    const [input] = (await decodeArrayFromPayloads(converter, started?.input?.payloads)) as [TaskInput];
    const closing = events[events.length - 1];
    const facts: TaskFacts = { workflowStatus: description.status.name };

    const pending = description.raw.pendingActivities?.[0];
    if (pending) facts.pendingActivity = await this.pendingFacts(pending);
    facts.failure = await this.closingFailure(closing);
    const completed = closing?.workflowExecutionCompletedEventAttributes;
    const [result] = completed ? await decodeArrayFromPayloads(converter, completed.result?.payloads) : [null];
    const tooLarge = tooLargeState(`the result of ${input.task}`, result, RESULT_TOO_LARGE_ADVICE);
    const derived = tooLarge ?? deriveState(facts);

    const activityStarts = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
    const lastStart = activityStarts[activityStarts.length - 1]?.activityTaskStartedEventAttributes;
    const attempt = pending?.attempt ?? lastStart?.attempt ?? 1;
    const dateStarted = pending?.lastStartedTime ?? activityStarts[activityStarts.length - 1]?.eventTime;
    const delayed = description.executionTime && description.executionTime > description.startTime;
    const nextAttempt = derived.state === 'RETRY' ? optionalTsToDate(pending?.nextAttemptScheduleTime) : undefined;

    return {
      ...emptyResult(id, input.task, input.plan.queue, description.startTime),
      runId: description.runId,
      state: derived.state,
      result: tooLarge ? null : (result ?? null),
      error: derived.error,
      reason: derived.reason ?? null,
      args: input.args,
      kwargs: input.kwargs,
      retries: Math.max(0, attempt - 1),
      meta: derived.meta ?? null,
      eta: nextAttempt ?? (delayed && derived.state === 'PENDING' ? (description.executionTime ?? null) : null),
      dateStarted: optionalTsToDate(dateStarted) ?? null,
      dateDone: description.closeTime ?? null,
    };
  }
}

/**
 * A workflow completed, but the codec stood in for its result, over the payload limit: the
 * task failed, as it would have had the workflow known the size.
 */
function tooLargeState(what: string, result: unknown, advice: string): DerivedState | undefined {
  if (!isTooLarge(result)) return undefined;
  const failure = tooLargeFailure(what, result, advice);
  return { state: 'FAILURE', error: { type: failure.type!, message: failure.message, traceback: null } };
}

/** A canvas is listed under its task's name, or its shape's kind (chain, group, ...). */
function canvasName(canvas: Canvas): string {
  return canvas.kind === 'task' ? canvas.task : canvas.kind;
}

function emptyResult(id: string, task: string, queue: string, submitted: Date): TaskResult {
  return {
    id, runId: null, task, queue,
    state: 'PENDING', result: null, error: null, reason: null, meta: null,
    args: [], kwargs: {}, retries: 0,
    dateSubmitted: submitted, eta: null, dateStarted: null, dateDone: null,
    parentId: null, children: [],
  };
}

function pendingActivityState(state: proto.temporal.api.enums.v1.PendingActivityState | null | undefined) {
  if (state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) return 'STARTED';
  if (state === PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED) return 'CANCEL_REQUESTED';
  return 'SCHEDULED';
}

function toTaskError(error: Error | undefined): TaskError | undefined {
  if (!error) return undefined;
  const failure = error as TemporalFailure & { type?: string | null };
  return {
    type: failure.type ?? failure.name,
    message: failure.message,
    traceback: failure.failure?.stackTrace || failure.stack || null,
  };
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
