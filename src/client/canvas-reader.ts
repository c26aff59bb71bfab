/**
 * Reads a canvas member and its subtree. The workflow that holds the member (the canvas's own,
 * or a partition's) answers its `members` query when it can, within a few seconds; when it
 * cannot (no worker, its workflow task failing) the members come from its history instead
 * (canvas-history.ts): the plan in its input, or, for a canvas planned by its workflow, in
 * the result of its local activity `planCanvas`. Either way each task member (and each map, one
 * activity) is what its activity did, derived as a task run alone is (state.ts), so a member answers as the same task would.
 */
import { QueryNotRegisteredError, WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { plannedIdOf, suffixOf } from '../canvas/ids.js';
import { findNode, holderAmong, partitionsIn, subtree, withinBudget } from '../canvas/tree.js';
import type { PartitionInput } from '../../workflows/canvas.js';
import type { MemberState } from '../../workflows/members.js';
import { PARTITION_FAILURE } from '../canvas/partition.js';
import type { PlannedCanvas } from '../canvas/plan.js';
import { encodingOf } from '../temporal/codec.js';
import {
  isTooLarge, PAYLOAD_LIMIT_BYTES, RESULTS_TOO_LARGE_ADVICE, TOO_LARGE_ENCODING, TOO_LARGE_KEY,
} from '../temporal/payload-marker.js';
import { PayloadTooLargeError, RESULT_TOO_LARGE_ADVICE } from '../tasks/errors.js';
import { membersFromHistory, plannedMember, type RunLookup, type RunOutcome } from './canvas-history.js';
import { closingFailure, pendingFacts, readHistory, toTaskError, type HistoryEvent, type WorkflowRecord } from './history.js';
import { deriveState, deriveTask, isReady, type ActivityRecord, type TaskFacts } from './state.js';

type PendingFacts = NonNullable<TaskFacts['pendingActivity']>;
import { emptyResult, tooLargeState, type TaskResult } from './task-result.js';
import { CANVAS_WORKFLOW, PARTITION_WORKFLOW } from '../temporal/workflow-types.js';
import { CanvasUnreadableError, TaskNotFoundError } from './errors.js';

/** Children listed per member in a canvas's tree; `GET` a member for more of its own. */
const CHILDREN_SHOWN = 200;
/** How long a canvas's workflow may take to answer a query before its history answers instead. */
const QUERY_TIMEOUT_MS = 3_000;
/** How long a workflow that did not answer is read from its history without asking it again. */
const UNANSWERED_FOR_MS = 10_000;
/** Unanswered workflows remembered at most (the oldest are forgotten first). */
const UNANSWERED_KEPT = 1_000;
/**
 * When a canvas's members are over the payload limit together, they are asked for again with
 * their largest values left out until the answer's JSON is this long: it then fits the limit
 * even if every character took 3 bytes and gzip could not shrink it.
 */
const MEMBERS_BUDGET_CHARS = Math.floor(PAYLOAD_LIMIT_BYTES / 4);
/** Celerity's workflows whose result is their canvas's. */
const CELERITY_CANVAS_TYPES = [CANVAS_WORKFLOW, PARTITION_WORKFLOW];

/** The workflow that holds a member, with what its history and description say. */
interface Holding {
  description: WorkflowExecutionDescription;
  events: HistoryEvent[];
  record: WorkflowRecord;
  /** Its pending activities, by activity id (a member's id). */
  pending: Map<string, PendingFacts>;
}

/** Member `id` and its subtree; or where to look for it (a partition's workflow id), or null. */
type Found = { members: MemberState[]; holder?: undefined } | { members?: undefined; holder: string | null };

export class CanvasReader {
  /** Workflows whose query went unanswered, and until when their history answers without asking them. */
  private readonly unanswered = new Map<string, number>();

  constructor(private readonly client: Client) {}

  /**
   * Member `id` of the canvas whose workflow is described, and its subtree, from the workflow
   * that holds it (the canvas's, or, in a large canvas, a partition's). Answers by `deadline`
   * (ms since the epoch) what the history holds if the workflow has not answered by then.
   * `closedHistory`: the canvas's whole history, when the caller read it after the workflow closed.
   */
  async read(id: string, canvasDescription: WorkflowExecutionDescription, deadline: number, closedHistory?: HistoryEvent[]): Promise<TaskResult> {
    for (let description = canvasDescription; ; ) {
      const answered = await this.ask(description, id, deadline);
      // Read after the query answered, the history and pending activities hold at least what its answer saw
      // (a closed workflow's history is final).
      const events = description === canvasDescription ? closedHistory : undefined;
      const holding = await this.load(answered && !events ? ((await this.describe(description.workflowId, description.runId)) ?? description) : description, events);
      const found = answered ?? this.fromHistory(holding, id);
      const member = found.members?.find((m) => m.id === id);
      // A partition answers for itself from its own workflow, once started.
      const next = member ? (member.kind === 'partition' && id !== description.workflowId ? id : null) : found.holder;
      const holder = next && next !== description.workflowId ? await this.describe(next) : undefined;
      if (holder) description = holder;
      else if (member) return this.build(member, found.members!, holding);
      else throw new TaskNotFoundError(id);
    }
  }

  private async load(description: WorkflowExecutionDescription, closedHistory?: HistoryEvent[]): Promise<Holding> {
    const events = closedHistory ?? (await this.client.workflow.getHandle(description.workflowId, description.runId).fetchHistory()).events ?? [];
    const record = await readHistory(this.client.options.loadedDataConverter, events);
    const converter = this.client.options.loadedDataConverter;
    const pending = new Map(await Promise.all((description.raw.pendingActivities ?? []).map(async (p) => [p.activityId!, await pendingFacts(converter, p)] as const)));
    return { description, events, record, pending };
  }

  private async describe(workflowId: string, runId?: string): Promise<WorkflowExecutionDescription | undefined> {
    return this.client.workflow.getHandle(workflowId, runId).describe().catch((err) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
  }

  /**
   * The workflow's `members` query's answer, if it answers in time; undefined when its history
   * must answer instead. A workflow that did not answer is read from its history for a while,
   * so that reading a canvas and its members during a worker outage does not wait for each.
   */
  private async ask({ workflowId, raw }: WorkflowExecutionDescription, id: string, deadline: number): Promise<Found | undefined> {
    // A workflow task that keeps failing cannot answer; no need to wait for it.
    const failing = (raw.pendingWorkflowTask?.attempt ?? 1) > 1;
    const queryBy = Math.min(deadline, Date.now() + QUERY_TIMEOUT_MS);
    if (!failing && queryBy > Date.now() && (this.unanswered.get(workflowId) ?? 0) < Date.now()) {
      try {
        const members = await this.queryMembers(workflowId, id, queryBy);
        if (members.length) return { members };
        return { holder: await this.query<string | null>(workflowId, queryBy, 'locate', id) };
      } catch (err) {
        if (err instanceof QueryNotRegisteredError) throw new TaskNotFoundError(id);
        if (err instanceof PayloadTooLargeError) throw err;
        this.unanswered.set(workflowId, Date.now() + UNANSWERED_FOR_MS);
        if (this.unanswered.size > UNANSWERED_KEPT) this.unanswered.delete(this.unanswered.keys().next().value!);
      }
    }
    return undefined;
  }

  /**
   * Member `id` and its subtree. Over the payload limit together (the codec answers a marker
   * instead), they are asked for again with their largest values replaced by markers.
   */
  private async queryMembers(workflowId: string, id: string, deadline: number): Promise<MemberState[]> {
    const answer = await this.query<MemberState[] | unknown>(workflowId, deadline, 'members', id, CHILDREN_SHOWN);
    if (!isTooLarge(answer)) return answer as MemberState[];
    const smaller = await this.query<MemberState[] | unknown>(workflowId, deadline, 'members', id, CHILDREN_SHOWN, MEMBERS_BUDGET_CHARS);
    if (!isTooLarge(smaller)) return smaller as MemberState[];
    const { size, limit } = smaller[TOO_LARGE_KEY];
    throw new PayloadTooLargeError(`the tree of ${id}`, size, limit, 'GET its members one by one instead');
  }

  private query<T>(workflowId: string, deadline: number, query: string, ...args: unknown[]): Promise<T> {
    return this.client.connection.withDeadline(deadline, () => this.client.workflow.getHandle(workflowId).query<T, unknown[]>(query, ...args));
  }

  /** What the history says of member `id`: the plan in the workflow's input, and what ran. */
  private fromHistory(holding: Holding, id: string): Found {
    // A canvas planned by its workflow (a schedule's runs, runCanvas) has its plan in a local activity's result.
    const input = ((holding.record.input as Partial<PartitionInput> | undefined)?.tree ? holding.record.input : holding.record.localPlan) as Partial<PartitionInput> | undefined;
    if (!input?.tree || !input.plans) throw new CanvasUnreadableError(id, new Error('its workflow did not answer, and has not planned its canvas yet'));
    const planned: PlannedCanvas = { tree: input.tree, plans: input.plans };
    const { status, closeTime } = holding.description;
    const revokedAt = status.name === 'CANCELLED' || status.name === 'TERMINATED' ? closeTime?.toISOString() : undefined;
    const members = membersFromHistory(planned, input.suffix ?? '', this.lookup(holding), revokedAt);
    if (members.has(id)) {
      // As the query answers: values too large to show together are left out.
      const answer = subtree(members, id, CHILDREN_SHOWN);
      return { members: JSON.stringify(answer).length > PAYLOAD_LIMIT_BYTES ? withinBudget(answer, MEMBERS_BUDGET_CHARS) : answer };
    }
    const holder = holderAmong(partitionsIn(planned.tree), plannedIdOf(id));
    if (!holder) return { holder: null };
    const suffix = suffixOf(id);
    const runs = [...holding.record.children.keys()].filter((run) => plannedIdOf(run) === holder.id && suffix.startsWith(suffixOf(run)));
    if (runs.length) return { holder: runs.sort((a, b) => b.length - a.length)[0] };
    // A member of a partition not started yet: what the plan says, in the partition's state.
    const found = findNode(holder.tree, plannedIdOf(id), holder.id);
    const partition = members.get(holder.id + suffix);
    if (!found || !partition) return { holder: null };
    return { members: [{ ...plannedMember(found.node, id, found.parentId + suffix, planned.plans), state: partition.state, error: partition.error }] };
  }

  /** The runs of the holding workflow, by id: its activities (task members) and child workflows (partitions). */
  private lookup({ record, pending }: Holding): RunLookup {
    const suffixes = [...record.activities.keys(), ...record.children.keys()].map(suffixOf);
    return {
      task: (id) => {
        const activity = record.activities.get(id);
        if (!activity && !pending.has(id)) return undefined;
        const task = deriveTask({ activity, pendingActivity: pending.get(id) });
        return {
          state: isReady(task.state) ? (task.state as RunOutcome['state']) : task.state === 'PENDING' ? 'PENDING' : 'STARTED',
          result: activityResult(activity), error: task.error, args: activity?.args, kwargs: activity?.kwargs,
          dateStarted: task.dateStarted?.toISOString() ?? null, dateDone: task.dateDone?.toISOString() ?? null,
        };
      },
      partition: (id) => {
        const child = record.children.get(id);
        if (!child) return undefined;
        const failure = child.failure as ApplicationFailure | undefined;
        // A partition fails with its failed member's own error, and the ids of the failed members.
        if (failure?.type === PARTITION_FAILURE) {
          const failed = (failure.details?.[0] as Array<{ id: string }> | undefined)?.map((f) => f.id);
          return { state: 'FAILURE', result: null, error: toTaskError(failure.cause) ?? null, dateStarted: null, dateDone: null, failed };
        }
        const derived = deriveState({ workflowStatus: child.status, failure: toTaskError(failure) });
        const state = child.status === 'RUNNING' ? 'STARTED' : (derived.state as RunOutcome['state']);
        return { state, result: child.result ?? null, error: derived.error, dateStarted: null, dateDone: null };
      },
      ranWith: (suffix) => suffixes.some((s) => s === suffix || s.startsWith(`${suffix}@`)),
    };
  }

  /** A member and its subtree, each task member as its activity says, the canvas as its workflow ended. */
  private async build(member: MemberState, answered: MemberState[], holding: Holding): Promise<TaskResult> {
    const { description, record, pending } = holding;
    const members = new Map(answered.map((m) => [m.id, m]));
    const toResult = (state: MemberState): TaskResult => {
      const base = {
        ...emptyResult(state.id, state.task, state.queue ?? '', description.startTime),
        runId: description.runId, state: state.state, result: state.result, error: state.error,
        args: state.args, kwargs: state.kwargs, parentId: state.parentId,
        dateStarted: state.dateStarted ? new Date(state.dateStarted) : null,
        dateDone: state.dateDone ? new Date(state.dateDone) : null,
        children: state.children.filter((child) => members.has(child)).map((child) => toResult(members.get(child)!)),
      };
      const activity = record.activities.get(state.id);
      // A map runs as one activity, its id the map's: it answers as a task does (its retries, its PROGRESS).
      const ranAlone = state.kind === 'task' || state.kind === 'map' || state.kind === 'starmap';
      return ranAlone && (activity || pending.has(state.id)) ? { ...base, ...this.taskMember(state, activity, pending.get(state.id)) } : base;
    };
    const result = toResult(member);
    if (member.id !== description.workflowId || description.status.name === 'RUNNING') return result;
    return { ...result, ...(await this.ending(holding, result)) };
  }

  /** A task member as its activity says, as for the same task run alone (client.ts readTask). */
  private taskMember(state: MemberState, activity: ActivityRecord | undefined, pendingActivity: PendingFacts | undefined): Partial<TaskResult> {
    const task = deriveTask({ activity, pendingActivity });
    const value = activityResult(activity);
    const tooLarge = tooLargeState(`the result of ${state.task}`, value, RESULT_TOO_LARGE_ADVICE);
    // An activity that never ended in a workflow that closed (terminated) is as the workflow left its member.
    const ended = activity?.outcome || pendingActivity;
    return {
      ...(ended ? { state: (tooLarge ?? task).state, error: (tooLarge ?? task).error, reason: task.reason ?? null, meta: task.meta ?? null } : {}),
      // Values left out of a tree too large to show together stay left out (see withinBudget).
      result: tooLarge ? null : isTooLarge(state.result) ? state.result : value,
      args: state.args.some(isTooLarge) ? state.args : (activity?.args ?? state.args),
      kwargs: Object.values(state.kwargs).some(isTooLarge) ? state.kwargs : (activity?.kwargs ?? state.kwargs),
      retries: task.retries,
      eta: task.eta,
      dateStarted: task.dateStarted,
      dateDone: task.dateDone ?? (ended ? null : state.dateDone ? new Date(state.dateDone) : null),
    };
  }

  /** The canvas (or partition) itself, closed: it ends as its workflow did (a revoke or an expiry included). */
  private async ending({ description, events }: Holding, shown: TaskResult): Promise<Partial<TaskResult>> {
    const converter = this.client.options.loadedDataConverter;
    const closing = events[events.length - 1];
    const completed = closing?.workflowExecutionCompletedEventAttributes;
    // The workflow's result is read only when it matters: a marker stood in for it, or the members' answer left it out.
    const stored = completed?.result?.payloads?.[0];
    const needed = stored && (encodingOf(stored) === TOO_LARGE_ENCODING || isTooLarge(shown.result));
    const [value] = needed ? await decodeArrayFromPayloads(converter, completed!.result!.payloads) : [];
    const tooLarge = tooLargeState(`the result of ${description.type} ${shown.id}`, value, RESULTS_TOO_LARGE_ADVICE);
    const derived = tooLarge ?? deriveState({ workflowStatus: description.status.name, failure: await closingFailure(converter, closing) });
    // A canvas's result is its workflow's, which the members' answer may have left out (see queryMembers).
    const elided = completed && isTooLarge(shown.result) && CELERITY_CANVAS_TYPES.includes(description.type);
    return {
      result: tooLarge ? null : elided ? value : shown.result,
      state: derived.state, error: derived.error, reason: derived.reason ?? null, dateDone: description.closeTime ?? null,
    };
  }
}

/** The value an activity returned, once it completed, unless its task was called with ignore_result. */
function activityResult(activity: ActivityRecord | undefined): unknown {
  return activity?.outcome?.kind === 'completed' && !activity.ignoreResult ? activity.outcome.result : null;
}
