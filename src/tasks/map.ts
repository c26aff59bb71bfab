/**
 * The built-in map and starmap activities (CANVAS.md rules 16 and 17; Celery's `celery.map`
 * and `celery.starmap`): one activity calls a registered task for each item, in order, in the
 * worker's process, as Celery's `xmap` calls `task(item)`. It is one task: the task's retry
 * rules, time limits and revoke apply to the whole map, through the same attempt as a task's
 * (define.ts runAttempt).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { callTask, runAttempt, type Attempt, type TaskProgress, type TaskRequest } from './define.js';
import { mapItemId, MAP_ACTIVITY, STARMAP_ACTIVITY, type MapCall } from './map-call.js';
import { UnknownTaskError, type TaskRegistry } from './registry.js';
import { PayloadTooLargeError, RESULT_TOO_LARGE_ADVICE } from './errors.js';
import { encodedSize, PAYLOAD_LIMIT_BYTES } from '../temporal/payload-limit.js';

/**
 * What a map's heartbeats carry: state PROGRESS with meta `{ done, total }` (items), or the
 * state an item reported with `updateState`, and the checkpoint: the results of items
 * 0 .. done - 1, from which a later attempt resumes.
 */
export interface MapProgress extends TaskProgress {
  checkpoint: unknown[];
}

/**
 * The activities `celery.map` (calls `task(item, ...args, **kwargs)`) and `celery.starmap`
 * (`task(*item, ...args, **kwargs)`) for the tasks of `registry`; every activity worker offers
 * them. Input: a TaskRequest whose `map` names the task and its items; `args`, `kwargs` and
 * `plan` are the task's (mapPlan: its time limits times the item count). Result: the list of
 * the task's results, in item order. Item i runs with task id `mapItemId(call, i)`.
 *
 * Progress: at most every second (and when an item fails), a heartbeat carries the results so
 * far (MapProgress); a new attempt (a retry, a lost worker's task run again) resumes after the
 * last checkpoint, so the items before it are not called again. Errors: the first item's error
 * ends the attempt and the task's retry rules decide (a retry resumes after the checkpoint);
 * a checkpoint over Temporal's payload limit fails the map at once with PayloadTooLargeError
 * (its result, which holds those results, could not be stored either), not retried; an unknown
 * task fails it with UnknownTaskError, not retried.
 */
export function mapActivities(registry: TaskRegistry): Record<string, (request: TaskRequest) => Promise<unknown>> {
  const activity = (name: string, star: boolean) => (request: TaskRequest) =>
    runAttempt(name, request, (attempt) => runItems(registry, request, star, attempt));
  return { [MAP_ACTIVITY]: activity(MAP_ACTIVITY, false), [STARMAP_ACTIVITY]: activity(STARMAP_ACTIVITY, true) };
}

async function runItems(registry: TaskRegistry, request: TaskRequest, star: boolean, attempt: Attempt): Promise<unknown[]> {
  const call = request.map;
  const task = call && registry.get(call.task);
  if (!task) throw ApplicationFailure.fromError(new UnknownTaskError(call?.task ?? '(none)'), { nonRetryable: true });
  const results = resumedResults(call);
  const { context } = attempt;
  const total = call.it.length;
  let shown: Pick<TaskProgress, 'state' | 'meta'> | undefined;
  // The last checkpoint reported: an item's own updateState carries it along.
  let saved = [...results];
  const checkpoint = async () => {
    const progress: MapProgress = { ...(shown ?? { state: 'PROGRESS', meta: { done: results.length, total } }), checkpoint: [...results] };
    const size = await encodedSize(progress);
    if (size > PAYLOAD_LIMIT_BYTES) {
      const error = new PayloadTooLargeError(`the results of ${call.task} for ${results.length} items of ${total}`, size, PAYLOAD_LIMIT_BYTES, RESULT_TOO_LARGE_ADVICE);
      throw ApplicationFailure.fromError(error, { nonRetryable: true });
    }
    saved = progress.checkpoint;
    attempt.report(progress);
  };
  // Heartbeats carry the checkpoint from the start, so that this attempt's regular heartbeats never erase it.
  if (results.length) await checkpoint();
  for (let i = results.length; i < total; i++) {
    // Items may never wait (a synchronous task): a revoke or the soft limit still stops the map between two items.
    if (context.signal.aborted) throw context.signal.reason;
    const item = call.it[i];
    const args = [...(star ? (item as unknown[]) : [item]), ...request.args];
    const itemContext = {
      ...context, id: mapItemId(call, i), name: task.name, args,
      updateState: (state: string, meta: unknown = null) => {
        shown = { state, meta };
        attempt.report({ ...shown, checkpoint: saved } satisfies MapProgress);
      },
    };
    try {
      results.push(await callTask(task, itemContext));
    } catch (err) {
      await checkpoint();
      throw err;
    }
    shown = undefined;
    if (attempt.reportDue()) {
      await checkpoint();
      // Lets the worker deliver a revoke, and the soft limit fire, while a long map runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return results;
}

/** The results checkpointed by the previous attempt, if any: this attempt starts after them. */
function resumedResults(call: MapCall): unknown[] {
  const details = Context.current().info.heartbeatDetails as Partial<MapProgress> | undefined;
  const checkpoint = details?.checkpoint;
  return Array.isArray(checkpoint) && checkpoint.length <= call.it.length ? [...checkpoint] : [];
}
