/** Controlling tasks that run (Celery's `revoke`). */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { rootOf } from '../canvas/ids.js';
import { MemberRevokeError } from './errors.js';
import type { TaskResults } from './results.js';
import { isReady } from './state.js';
import type { TaskResult } from './task-result.js';

export class TaskControl {
  constructor(private readonly client: Client, private readonly results: TaskResults) {}

  /**
   * Revokes a task (Celery's `revoke`): without `terminate` the task is cancelled and may
   * clean up; with it, it is stopped at once. A task that is already ready is left as it is.
   */
  async revoke(id: string, options: { terminate?: boolean; reason?: string } = {}): Promise<TaskResult> {
    const task = await this.results.get(id);
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
    return this.results.get(id);
  }

  /** Whether the workflow runs its workflow tasks, so that it can take a cancel and clean up. */
  private async canTakeCancel(id: string): Promise<boolean> {
    return ((await this.results.describe(id)).raw.pendingWorkflowTask?.attempt ?? 1) <= 1;
  }
}
