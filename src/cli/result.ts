/** `celerity result ID [--timeout S]` (Celery's AsyncResult.get): waits for a task, then prints its result. */
import { isReady } from '../client/state.js';
import type { ApiClient, ApiTask } from './api-client.js';
import { describeState, reportTask, spinner } from './output.js';

/** Long-polls in slices: short ones while a person watches the spinner, so each state shows as it comes. */
const SLICE_S = { watched: 1, unwatched: 5 };

/** Waits until the task is ready or `timeoutS` passes (for ever without one), showing its state on a TTY. */
export async function waitForTask(api: ApiClient, id: string, timeoutS: number | undefined, showSpinner: boolean): Promise<ApiTask> {
  const deadline = timeoutS === undefined ? Infinity : Date.now() + timeoutS * 1000;
  const spin = spinner(showSpinner, `${id}: waiting`);
  const sliceS = spin.active ? SLICE_S.watched : SLICE_S.unwatched;
  try {
    for (;;) {
      const slice = Math.max(0, Math.min(sliceS, (deadline - Date.now()) / 1000));
      const task = await api.get<ApiTask>(`/tasks/${encodeURIComponent(id)}/result?timeout=${slice.toFixed(1)}`);
      spin.update(`${task.task} ${id}: ${describeState(task)}`);
      if (isReady(task.state) || Date.now() >= deadline) return task;
    }
  } finally {
    spin.stop();
  }
}

export async function result(api: ApiClient, id: string, options: { timeout?: number; json?: boolean }): Promise<number> {
  const task = await waitForTask(api, id, options.timeout, !options.json);
  return reportTask(task, options.json ?? false, options.timeout);
}
