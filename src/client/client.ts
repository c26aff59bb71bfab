/**
 * The Celerity client, a facade over one part per concern, as Celery's API is cut: sending
 * (`sendTask`, `applyAsync`, `applyCanvas`: send.ts), results (`get`, `waitResult`, and
 * `asyncResult`, Celery's AsyncResult: results.ts, result.ts), control (`revoke`:
 * control.ts) and inspection (`queues`, `workers`: inspect.ts). Each task is one Temporal
 * workflow whose id is the task id.
 */
import type { Client } from '@temporalio/client';
import type { Canvas } from '../canvas/model.js';
import { UnknownTaskError, type CallOptions, type TaskArgs, type TaskName, type TaskRegistry } from '../tasks/index.js';
import { TaskControl } from './control.js';
import { TaskInspector, type QueueInfo, type WorkerInfo } from './inspect.js';
import { AsyncResult } from './result.js';
import { TaskResults } from './results.js';
import { TaskSender, type Signature } from './send.js';
import type { TaskResult } from './task-result.js';

export { UnknownTaskError };
export { CanvasUnreadableError, MemberRevokeError, TaskFailedError, TaskNotFoundError, TaskRevokedError, TaskTimeoutError } from './errors.js';
export { AsyncResult } from './result.js';
export type { QueueInfo, QueueKind, WorkerInfo } from './inspect.js';
export { summarize, type Signature } from './send.js';
export type { TaskResult } from './task-result.js';

export interface CelerityClientOptions<R extends TaskRegistry = TaskRegistry> {
  client: Client;
  /** The app's registry; its type makes `sendTask` check each task's arguments at compile time. */
  registry: R;
  workflowQueue: string;
  /**
   * Where a worker that runs `workflowQueue` shares this process (as in `celerity dev`): a
   * client on that worker's NativeConnection (`celerityClient(worker.connection, config)`).
   * Tasks and canvases are then started with eager workflow start, saving the first
   * workflow task's trip through the queue, but only while `client` (connectClient's) holds
   * a live connection: the worker's connection retries an unreachable server for about 10 s.
   * Everything else goes through `client`.
   */
  eagerStart?: Client;
}

export class CelerityClient<R extends TaskRegistry = TaskRegistry> {
  private readonly sender: TaskSender;
  private readonly results: TaskResults;
  private readonly control: TaskControl;
  private readonly inspector: TaskInspector;

  constructor(options: CelerityClientOptions<R>) {
    this.results = new TaskResults(options.client);
    this.sender = new TaskSender(options.client, options.registry, options.workflowQueue, this.results, options.eagerStart);
    this.control = new TaskControl(options.client, this.results);
    this.inspector = new TaskInspector(options.client, options.registry, options.workflowQueue);
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
    return this.sender.applyAsync({ task: name, args: args as unknown[], ...extra });
  }

  /**
   * Sends a task (Celery's `apply_async`). A task id that already exists answers with that
   * task and never runs it twice; `created` tells which happened.
   * @throws UnknownTaskError, TaskArgumentError, InvalidTaskOptionsError, PayloadTooLargeError
   */
  applyAsync(signature: Signature): Promise<{ created: boolean; task: TaskResult }> {
    return this.sender.applyAsync(signature);
  }

  /** Sends a canvas (chain, group, chord, ...), checked whole first; see TaskSender.applyCanvas. */
  applyCanvas(canvas: Canvas): Promise<{ created: boolean; task: TaskResult }> {
    return this.sender.applyCanvas(canvas);
  }

  /** The workflow start options of a task, checked (schedules start their runs with them). */
  prepare(signature: Signature, now: Date) {
    return this.sender.prepare(signature, now);
  }

  /** The workflow start options of a canvas planned when each run starts (a schedule's runs). */
  prepareCanvas(canvas: Canvas, now: Date) {
    return this.sender.prepareCanvas(canvas, now);
  }

  /** A handle on task `id` (Celery's `app.AsyncResult(id)`): its state, result, children, revoke. */
  asyncResult(id: string): AsyncResult {
    return new AsyncResult(id, this);
  }

  /**
   * The task's current state, result and metadata, or a canvas member's with its subtree.
   * @throws TaskNotFoundError for an id no task has
   */
  get(id: string): Promise<TaskResult> {
    return this.results.get(id);
  }

  /** Waits up to `timeoutS` seconds for the task to be ready, then answers as `get` does. */
  waitResult(id: string, timeoutS: number): Promise<TaskResult> {
    return this.results.waitResult(id, timeoutS);
  }

  /**
   * Revokes a task (Celery's `revoke`): cancelled and may clean up, or with `terminate` stopped
   * at once; a ready task is left as it is.
   * @throws MemberRevokeError for an unfinished member of a canvas (revoke the canvas)
   */
  revoke(id: string, options: { terminate?: boolean; reason?: string } = {}): Promise<TaskResult> {
    return this.control.revoke(id, options);
  }

  /**
   * The queues named, or Celerity's workflow queue and every registered task's queue, with
   * their backlog, rates and pollers (Celery's `inspect().active_queues()`); the numbers are
   * the Temporal server's approximations.
   */
  queues(names?: string[]): Promise<QueueInfo[]> {
    return this.inspector.queues(names);
  }

  /** The workers polling those queues, most recently seen first (Celery's `inspect().ping()`). */
  workers(names?: string[]): Promise<WorkerInfo[]> {
    return this.inspector.workers(names);
  }
}
