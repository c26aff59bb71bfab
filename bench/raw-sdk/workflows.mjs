// The raw Temporal SDK baseline's workflows: one `add` activity per workflow, the least a
// durable task can cost on Temporal.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

/** A workflow that runs `add` as an activity on `taskQueue`. */
export async function addTask(x, y, taskQueue) {
  const { add } = proxyActivities({ taskQueue, startToCloseTimeout: '1 minute' });
  return add(x, y);
}

/** A workflow that runs `add` as a local activity, in the worker that runs the workflow. */
export async function addLocal(x, y) {
  const { add } = proxyLocalActivities({ startToCloseTimeout: '1 minute' });
  return add(x, y);
}
