/**
 * What a workflow's history records, decoded: its input, its tasks' activities and its child
 * workflows (a canvas's partitions), by id. Temporal keeps the history, so all of this can be
 * read with no worker running, whatever state the workflow is in.
 */
import type { LoadedDataConverter } from '@temporalio/common';
import type { WorkflowExecutionDescription, WorkflowExecutionStatusName } from '@temporalio/client';
import {
  decodeArrayFromPayloads,
  decodeOptionalFailureToOptionalError,
} from '@temporalio/common/lib/internal-non-workflow/index.js';
import { optionalTsToDate } from '@temporalio/common/lib/time.js';
import { ApplicationFailure, type TemporalFailure } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { TaskProgress, TaskRequest } from '../tasks/index.js';
import type { ActivityRecord, TaskError, TaskFacts } from './state.js';

// @temporalio/proto is CommonJS without named exports.
const { temporal } = proto;
const { EventType, PendingActivityState, TimeoutType } = temporal.api.enums.v1;
export type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
export type PendingActivity = proto.temporal.api.workflow.v1.IPendingActivityInfo;

/** A child workflow (a partition) as its parent's history records it. */
export interface ChildRecord {
  id: string;
  status: WorkflowExecutionStatusName;
  result?: unknown;
  /** The failure it ended with; a partition's carries its failed member's as `cause`. */
  failure?: Error;
}

export interface WorkflowRecord {
  input: unknown;
  activities: Map<string, ActivityRecord>;
  children: Map<string, ChildRecord>;
  /** What the workflow's first local activity `planCanvas` returned: the plan of a canvas planned by its workflow (runCanvas). */
  localPlan?: unknown;
}

/** The marker Temporal's core SDK records a local activity's result with, and the activity that plans canvases. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
const PLAN_ACTIVITY = 'planCanvas';

/** Decodes a workflow's history into its input, activities and children. */
export async function readHistory(converter: LoadedDataConverter, events: HistoryEvent[]): Promise<WorkflowRecord> {
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  const [input] = await decodeArrayFromPayloads(converter, started?.input?.payloads);
  const activities = new Map<string, ActivityRecord>();
  const bySchedule = new Map<string, ActivityRecord>();
  const children = new Map<string, ChildRecord>();
  const childrenByInitiation = new Map<string, ChildRecord>();
  const activityOf = (scheduledEventId: unknown) => bySchedule.get(String(scheduledEventId));
  let localPlan: unknown;
  for (const event of events) {
    const time = optionalTsToDate(event.eventTime) ?? undefined;
    switch (event.eventType) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const attrs = event.activityTaskScheduledEventAttributes!;
        const [request] = (await decodeArrayFromPayloads(converter, attrs.input?.payloads)) as [Partial<TaskRequest> | undefined];
        const record: ActivityRecord = { id: attrs.activityId!, args: request?.args ?? [], kwargs: request?.kwargs ?? {}, ignoreResult: request?.plan?.ignoreResult ?? false, attempt: 1 };
        activities.set(record.id, record);
        bySchedule.set(String(event.eventId), record);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const record = activityOf(event.activityTaskStartedEventAttributes!.scheduledEventId);
        if (record) Object.assign(record, { attempt: event.activityTaskStartedEventAttributes!.attempt ?? 1, startedTime: time });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const attrs = event.activityTaskCompletedEventAttributes!;
        const [result] = await decodeArrayFromPayloads(converter, attrs.result?.payloads);
        close(activityOf(attrs.scheduledEventId), time, { kind: 'completed', result: result ?? null });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const attrs = event.activityTaskFailedEventAttributes!;
        const error = toTaskError(await decodeOptionalFailureToOptionalError(converter, attrs.failure));
        close(activityOf(attrs.scheduledEventId), time, { kind: 'failed', error: error! });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attrs = event.activityTaskTimedOutEventAttributes!;
        const type = TimeoutType[attrs.failure?.timeoutFailureInfo?.timeoutType ?? 0] ?? '';
        close(activityOf(attrs.scheduledEventId), time, { kind: 'timedOut', timeout: type.replace('TIMEOUT_TYPE_', '') });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        close(activityOf(event.activityTaskCanceledEventAttributes!.scheduledEventId), time, { kind: 'cancelled' });
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: {
        const child: ChildRecord = { id: event.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId!, status: 'RUNNING' };
        children.set(child.id, child);
        childrenByInitiation.set(String(event.eventId), child);
        break;
      }
      case EventType.EVENT_TYPE_MARKER_RECORDED:
        localPlan ??= await plannedLocally(converter, event);
        break;
      default:
        await readChildEvent(converter, event, (initiatedEventId) => childrenByInitiation.get(String(initiatedEventId)));
    }
  }
  return { input, activities, children, localPlan };
}

/** The result of a local activity `planCanvas`, from its marker; undefined for any other marker. */
async function plannedLocally(converter: LoadedDataConverter, event: HistoryEvent): Promise<unknown> {
  const { markerName, details } = event.markerRecordedEventAttributes ?? {};
  const data = details?.data?.payloads?.[0]?.data;
  if (markerName !== LOCAL_ACTIVITY_MARKER || !data) return undefined;
  try {
    if ((JSON.parse(new TextDecoder().decode(data)) as { activity_type?: string }).activity_type !== PLAN_ACTIVITY) return undefined;
  } catch {
    return undefined;
  }
  const [plan] = await decodeArrayFromPayloads(converter, details?.result?.payloads);
  return plan;
}

function close(record: ActivityRecord | undefined, time: Date | undefined, outcome: NonNullable<ActivityRecord['outcome']>): void {
  if (record) Object.assign(record, { closedTime: time, outcome });
}

/** A child workflow's end, recorded in its parent's history. */
async function readChildEvent(converter: LoadedDataConverter, event: HistoryEvent, childOf: (initiatedEventId: unknown) => ChildRecord | undefined): Promise<void> {
  const completed = event.childWorkflowExecutionCompletedEventAttributes;
  const failed = event.childWorkflowExecutionFailedEventAttributes;
  const ended =
    completed ?? failed ?? event.childWorkflowExecutionCanceledEventAttributes ?? event.childWorkflowExecutionTerminatedEventAttributes ??
    event.childWorkflowExecutionTimedOutEventAttributes ?? event.startChildWorkflowExecutionFailedEventAttributes;
  const child = ended && childOf(ended.initiatedEventId);
  if (!child) return;
  if (completed) {
    [child.result] = await decodeArrayFromPayloads(converter, completed.result?.payloads);
    child.status = 'COMPLETED';
  } else if (failed) {
    child.failure = await decodeOptionalFailureToOptionalError(converter, failed.failure);
    child.status = 'FAILED';
  } else {
    child.status = event.childWorkflowExecutionCanceledEventAttributes ? 'CANCELLED' : event.childWorkflowExecutionTimedOutEventAttributes ? 'TIMED_OUT' : 'TERMINATED';
  }
}

/** A workflow execution as a task's read needs it: from its description, or from a closed workflow's history alone. */
export interface Execution {
  type: string;
  runId: string;
  status: WorkflowExecutionStatusName;
  startTime: Date;
  /** When a delayed start (countdown, eta) lets it run. */
  executionTime?: Date;
  closeTime?: Date;
  pendingActivities: PendingActivity[];
}

const CLOSED_STATUS: Partial<Record<number, WorkflowExecutionStatusName>> = {
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: 'COMPLETED',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: 'FAILED',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: 'CANCELLED',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: 'TERMINATED',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: 'TIMED_OUT',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW]: 'CONTINUED_AS_NEW',
};

/** The execution whose whole history this is, if it has closed (its last event closes it); else undefined. */
export function closedExecution(events: HistoryEvent[]): Execution | undefined {
  const [first] = events;
  const last = events[events.length - 1];
  const started = first?.workflowExecutionStartedEventAttributes;
  const status = last?.eventType == null ? undefined : CLOSED_STATUS[last.eventType];
  if (!started || !status) return undefined;
  return {
    type: started.workflowType?.name ?? '',
    runId: started.originalExecutionRunId || started.firstExecutionRunId || '',
    status,
    startTime: optionalTsToDate(first.eventTime)!,
    closeTime: optionalTsToDate(last.eventTime) ?? undefined,
    pendingActivities: [],
  };
}

/** What a workflow's description says of it, as a task's read needs it. */
export function describedExecution(description: WorkflowExecutionDescription): Execution {
  const { type, runId, status, startTime, executionTime, closeTime, raw } = description;
  return { type, runId, status: status.name, startTime, executionTime, closeTime, pendingActivities: raw.pendingActivities ?? [] };
}

/** A pending activity (from a workflow's description) in plain terms. */
export async function pendingFacts(converter: LoadedDataConverter, pending: PendingActivity): Promise<NonNullable<TaskFacts['pendingActivity']>> {
  const [progress] = await decodeArrayFromPayloads(converter, pending.heartbeatDetails?.payloads);
  return {
    state: pendingActivityState(pending.state),
    attempt: pending.attempt ?? 1,
    lastFailure: toTaskError(await decodeOptionalFailureToOptionalError(converter, pending.lastFailure)),
    progress: (progress as TaskProgress | null | undefined) ?? undefined,
    nextAttemptTime: optionalTsToDate(pending.nextAttemptScheduleTime) ?? undefined,
    lastStartedTime: optionalTsToDate(pending.lastStartedTime) ?? undefined,
  };
}

function pendingActivityState(state: proto.temporal.api.enums.v1.PendingActivityState | null | undefined) {
  if (state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) return 'STARTED';
  if (state === PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED) return 'CANCEL_REQUESTED';
  return 'SCHEDULED';
}

export function toTaskError(error: Error | undefined): TaskError | undefined {
  if (!error) return undefined;
  const failure = error as TemporalFailure & { type?: string | null };
  return {
    type: failure.type ?? failure.name,
    message: failure.message,
    traceback: failure.failure?.stackTrace || failure.stack || null,
  };
}

/** The failure a closed workflow ended with (its last event), with its details (e.g. a revoke reason). */
export async function closingFailure(converter: LoadedDataConverter, closing: HistoryEvent | undefined): Promise<TaskFacts['failure']> {
  const failed = closing?.workflowExecutionFailedEventAttributes?.failure;
  if (!failed) return undefined;
  const error = await decodeOptionalFailureToOptionalError(converter, failed);
  return { ...toTaskError(error)!, details: error instanceof ApplicationFailure ? (error.details ?? undefined) : undefined };
}
