/**
 * Reading tasks back from Temporal (Celery's `AsyncResult`): a task alone from its workflow's
 * description and history, a canvas or member through CanvasReader; waiting for a result.
 */
import { isGrpcServiceError, WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import proto from '@temporalio/proto';
import type { TaskInput } from '../../workflows/task.js';
import { rootOf } from '../canvas/ids.js';
import { RESULT_TOO_LARGE_ADVICE } from '../tasks/errors.js';
import { TASK_WORKFLOW } from '../temporal/workflow-types.js';
import { CanvasReader } from './canvas-reader.js';
import { TaskNotFoundError } from './errors.js';
import { closedExecution, closingFailure, describedExecution, pendingFacts, readHistory, type Execution, type HistoryEvent } from './history.js';
import { deriveTask, isReady, type TaskFacts } from './state.js';
import { emptyResult, tooLargeState, type TaskResult } from './task-result.js';

/** How long `get` lets a canvas's workflow answer for its members before its history answers. */
const READ_TIMEOUT_MS = 3_000;
/** How long past its timeout `waitResult` lets a canvas's workflow answer, before its history does. */
const ANSWER_GRACE_MS = 500;
// @temporalio/proto is CommonJS without named exports.
const { HistoryEventFilterType } = proto.temporal.api.enums.v1;
/** gRPC's status code for a workflow that does not exist. */
const GRPC_NOT_FOUND = 5;

export class TaskResults {
  private readonly canvases: CanvasReader;

  constructor(private readonly client: Client) {
    this.canvases = new CanvasReader(client);
  }

  /** The task's current state, result and metadata (Celery's `AsyncResult`). */
  async get(id: string): Promise<TaskResult> {
    return this.read(id, Date.now() + READ_TIMEOUT_MS);
  }

  /**
   * As `get`, answering by `deadline` (ms since the epoch) from the history what a canvas's
   * workflow has not. `closedHistory`: the whole history of root `id`, read after it closed.
   */
  private async read(id: string, deadline: number, closedHistory?: HistoryEvent[]): Promise<TaskResult> {
    const description = await this.describe(rootOf(id), id);
    if (description.type === TASK_WORKFLOW && description.workflowId !== id) throw new TaskNotFoundError(id);
    // A member id leads to the workflow that ran its canvas: Celerity's, or one of yours (runCanvas),
    // whose own id reads as the canvas it ran.
    if (description.type !== TASK_WORKFLOW || description.workflowId !== id) return this.canvases.read(id, description, deadline, closedHistory);
    const events = closedHistory ?? (await this.client.workflow.getHandle(id, description.runId).fetchHistory()).events ?? [];
    return this.readTask(id, describedExecution(description), events);
  }

  /** Waits up to `timeoutS` seconds for the task to be ready, then answers as `get` does. */
  async waitResult(id: string, timeoutS: number): Promise<TaskResult> {
    const deadline = Date.now() + timeoutS * 1000;
    if (rootOf(id) === id) {
      // A whole task or canvas is ready when its workflow closes: wait for that, then read it once.
      let closed = false;
      while (!closed && Date.now() < deadline) closed = await this.waitForClose(id, deadline);
      if (!closed) return this.read(id, deadline + ANSWER_GRACE_MS);
      // A closed task's history says all there is to say: no describe (one request less per result).
      const events = (await this.client.workflow.getHandle(id).fetchHistory()).events ?? [];
      const execution = closedExecution(events);
      // A terminated task's activity never closed in the history: its description still tells when it started.
      if (execution?.type === TASK_WORKFLOW && execution.status !== 'TERMINATED') return this.readTask(id, execution, events);
      // A canvas (or a terminated task) is read as `get` does, from the history already read.
      return this.read(id, deadline + ANSWER_GRACE_MS, events);
    }
    for (;;) {
      const task = await this.read(id, deadline + ANSWER_GRACE_MS);
      if (isReady(task.state) || Date.now() >= deadline) return task;
      await this.waitForClose(rootOf(id), Math.min(deadline, Date.now() + 1000));
    }
  }

  /** The workflow that runs a task; `id` (the task's, a member's) names it when it is missing. */
  async describe(workflowId: string, id = workflowId): Promise<WorkflowExecutionDescription> {
    try {
      return await this.client.workflow.getHandle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new TaskNotFoundError(id);
      throw err;
    }
  }

  /**
   * Long-polls the history for the close event until the deadline (the server answers at once
   * for a closed workflow): whether the workflow has closed. A missing task is TaskNotFoundError.
   */
  private async waitForClose(id: string, deadline: number): Promise<boolean> {
    try {
      const { history } = await this.client.connection.withDeadline(deadline, () =>
        this.client.workflowService.getWorkflowExecutionHistory({
          namespace: this.client.options.namespace,
          execution: { workflowId: id },
          waitNewEvent: true,
          historyEventFilterType: HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
          skipArchival: true,
        }),
      );
      return (history?.events?.length ?? 0) > 0;
    } catch (err) {
      if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) throw new TaskNotFoundError(id);
      if (Date.now() < deadline) throw err;
      return false;
    }
  }

  /** A task run alone: its workflow's status decides its state, its activity the rest, as for a canvas member. */
  private async readTask(id: string, execution: Execution, events: HistoryEvent[]): Promise<TaskResult> {
    const converter = this.client.options.loadedDataConverter;
    const record = await readHistory(converter, events);
    const input = record.input as TaskInput;
    const closing = events[events.length - 1];
    const pending = execution.pendingActivities[0];
    const facts: TaskFacts = {
      workflowStatus: execution.status,
      pendingActivity: pending ? await pendingFacts(converter, pending) : undefined,
      activity: record.activities.get(id),
      failure: await closingFailure(converter, closing),
    };
    const completed = closing?.workflowExecutionCompletedEventAttributes;
    const [result] = completed ? await decodeArrayFromPayloads(converter, completed.result?.payloads) : [null];
    const tooLarge = tooLargeState(`the result of ${input.task}`, result, RESULT_TOO_LARGE_ADVICE);
    const task = deriveTask(facts);
    const derived = tooLarge ?? task;
    const delayed = execution.executionTime && execution.executionTime > execution.startTime;

    return {
      ...emptyResult(id, input.task, input.plan.queue, execution.startTime),
      runId: execution.runId,
      state: derived.state,
      result: tooLarge ? null : (result ?? null),
      error: derived.error,
      reason: derived.reason ?? null,
      args: input.args,
      kwargs: input.kwargs,
      retries: task.retries,
      meta: derived.meta ?? null,
      eta: task.eta ?? (delayed && derived.state === 'PENDING' ? (execution.executionTime ?? null) : null),
      dateStarted: task.dateStarted,
      dateDone: execution.closeTime ?? null,
    };
  }
}
