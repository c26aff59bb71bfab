/**
 * Celerity's schedules (Celery beat) kept by Temporal Schedules. A run starts the same `task`
 * workflow that `apply` starts, with the options `CelerityClient.prepare` gives, so every run is
 * an ordinary task: its id is a workflow id, it shows in GET /tasks and in the Temporal UI, and
 * it carries its schedule's id (search attribute CelerityScheduleId).
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleSpecDescription,
} from '@temporalio/client';
import { TaskNotFoundError, UnknownTaskError, type CelerityClient } from '../client/client.js';
import type { TaskState } from '../client/state.js';
import type { CallOptions } from '../tasks/index.js';
import { SCHEDULE_ID, TASK_NAME } from '../temporal/search-attributes.js';
import { CanvasError, parseCanvas } from '../canvas/parse.js';
import { CanvasPlanError } from '../canvas/plan.js';
import { TASK_WORKFLOW } from '../temporal/workflow-types.js';
import {
  InvalidScheduleError, ScheduleExistsError, UnknownScheduleError, type BeatEntry, type ScheduleInfo, type ScheduleRun, type ScheduleSummary,
} from './entry.js';
import { compilePolicies, compileSpec, overlapPolicy, type OverlapPolicy } from './spec.js';

/** Whose schedule it is: the schedule's memo, fixed at creation (Temporal cannot change it). */
interface Ownership {
  /** The workflow queue of the Celerity app that runs it. */
  queue: string;
  declared: boolean;
}
const OWNER_MEMO = 'celerity';
/** The entry as written, in the action's memo so that it changes with the schedule and reads back as given. */
const ENTRY_MEMO = 'celeritySchedule';
/**
 * A fingerprint of the spec Celerity compiled from the entry: when Celerity compiles the same
 * entry differently (as when it learnt daylight-saving time), the sync brings the schedule in step.
 */
const SPEC_MEMO = 'celeritySpec';
const FORBIDDEN_OPTIONS = ['taskId', 'countdown', 'eta'] as const;

export interface SchedulesOptions {
  temporal: Client;
  celerity: CelerityClient;
  /** Celerity's workflow queue: a schedule belongs to the app whose workflows it starts. */
  workflowQueue: string;
}

/** What Temporal is given for one entry. */
type Plan = ReturnType<Schedules['plan']>;

export class Schedules {
  constructor(private readonly options: SchedulesOptions) {}

  private get temporal(): Client {
    return this.options.temporal;
  }

  /**
   * Checks an entry and turns it into what Temporal stores. Throws InvalidScheduleError (or the
   * client's argument and option errors) before anything reaches Temporal.
   */
  plan(id: string, entry: BeatEntry, now = new Date()) {
    const forbidden = FORBIDDEN_OPTIONS.find((key) => (entry.options as CallOptions | undefined)?.[key] !== undefined);
    if (forbidden) {
      throw new InvalidScheduleError(`options.${forbidden}`, 'is not available for a schedule: each run gets its own id and starts when it is due');
    }
    if (entry.options?.expires !== undefined && typeof entry.options.expires !== 'number') {
      throw new InvalidScheduleError('options.expires', 'must be a number of seconds, counted from each run\'s start');
    }
    const spec = compileSpec(entry);
    const { remainingActions, ...policies } = compilePolicies(entry);
    const start = this.prepareRun(entry, now);
    const written = asJson(entry) as BeatEntry;
    const fingerprint = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
    return {
      entry: written,
      spec,
      policies,
      remainingActions,
      searchAttributes: start.typedSearchAttributes.filter((attribute) => attribute.key === TASK_NAME),
      action: {
        type: 'startWorkflow' as const,
        workflowType: start.workflowType,
        // Temporal appends each run's scheduled time: task ids read `<schedule id>-<time>`.
        workflowId: id,
        taskQueue: start.taskQueue,
        args: start.args,
        staticSummary: start.staticSummary,
        ...('workflowTaskTimeout' in start ? { workflowTaskTimeout: start.workflowTaskTimeout } : {}),
        typedSearchAttributes: [...start.typedSearchAttributes, { key: SCHEDULE_ID, value: id }],
        memo: { [ENTRY_MEMO]: written, [SPEC_MEMO]: fingerprint },
      },
    };
  }

  /** What starts each run: a task's workflow, or a canvas's (planned when it starts). */
  private prepareRun(entry: BeatEntry, now: Date) {
    if ((entry.task === undefined) === (entry.canvas === undefined)) {
      throw new InvalidScheduleError('task', 'give either a task or a canvas');
    }
    try {
      if (entry.canvas !== undefined) return this.options.celerity.prepareCanvas(parseCanvas(entry.canvas), now);
      const start = this.options.celerity.prepare({ task: entry.task!, args: entry.args, kwargs: entry.kwargs, options: entry.options }, now);
      return { ...start, workflowType: TASK_WORKFLOW };
    } catch (err) {
      if (err instanceof CanvasError) throw new InvalidScheduleError(`canvas${err.path ? `.${err.path}` : ''}`, err.message.slice(err.path.length).trim());
      if (err instanceof CanvasPlanError) throw new InvalidScheduleError(`canvas.${err.path}`, err.cause.message);
      if (err instanceof UnknownTaskError) throw new InvalidScheduleError('task', err.message);
      throw err;
    }
  }

  async create(id: string, entry: BeatEntry, state: { paused?: boolean; note?: string } = {}): Promise<ScheduleInfo> {
    await this.insert(id, this.plan(id, entry), false, state);
    return this.get(id);
  }

  /** Replaces the entry; keeps whether it is paused, and its remaining runs unless the limit changed. */
  async update(id: string, entry: BeatEntry): Promise<ScheduleInfo> {
    const plan = this.plan(id, entry);
    await this.write(id, plan);
    return this.get(id);
  }

  async get(id: string): Promise<ScheduleInfo> {
    const description = await this.describe(id);
    const { info, state } = description;
    const runs = await Promise.all(info.recentActions.map(async ({ scheduledAt, takenAt, action }) => ({
      taskId: action.workflow.workflowId,
      scheduledAt,
      startedAt: takenAt,
      state: await this.taskState(action.workflow.workflowId),
    })));
    return {
      ...summary(id, description.memo, description.typedSearchAttributes.get(TASK_NAME), state, info.nextActionTimes),
      entry: entryOf(description),
      remainingRuns: state.remainingActions ?? null,
      spec: description.spec,
      recentRuns: runs,
      runsTaken: info.numActionsTaken,
      createdAt: info.createdAt,
      updatedAt: info.lastUpdatedAt ?? null,
    };
  }

  /** This app's schedules. The list is Temporal's visibility index: a change shows within a moment. */
  async list(): Promise<ScheduleSummary[]> {
    const found: ScheduleSummary[] = [];
    for await (const schedule of this.temporal.schedule.list()) {
      if (!this.owns(schedule.memo)) continue;
      found.push(summary(schedule.scheduleId, schedule.memo, schedule.typedSearchAttributes?.get(TASK_NAME), schedule.state, schedule.info.nextActionTimes));
    }
    return found.sort((a, b) => a.id.localeCompare(b.id));
  }

  async pause(id: string, note?: string): Promise<ScheduleInfo> {
    await (await this.handle(id)).pause(note ?? 'paused');
    return this.get(id);
  }

  async unpause(id: string, note?: string): Promise<ScheduleInfo> {
    await (await this.handle(id)).unpause(note ?? 'unpaused');
    return this.get(id);
  }

  /** Runs it now, even while paused; by default alongside a run still going. */
  async trigger(id: string, overlap: OverlapPolicy = 'allow_all'): Promise<void> {
    await (await this.handle(id)).trigger(overlapPolicy(overlap, 'overlap'));
  }

  /** Takes the runs due between `start` and `end` now, by default one after another so none is dropped. */
  async backfill(id: string, start: Date, end: Date, overlap: OverlapPolicy = 'buffer_all'): Promise<void> {
    if (!(end > start)) throw new InvalidScheduleError('end', 'must be after start');
    await (await this.handle(id)).backfill({ start, end, overlap: overlapPolicy(overlap, 'overlap') });
  }

  async delete(id: string): Promise<void> {
    await (await this.handle(id)).delete();
  }

  /**
   * Where a declared entry stands: missing, another's (made over REST or by another app), in
   * step, or out of step with the code.
   */
  async compare(id: string, plan: Plan): Promise<'missing' | 'foreign' | 'current' | 'stale'> {
    let description: ScheduleDescription;
    try {
      description = await this.temporal.schedule.getHandle(id).describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'missing';
      throw err;
    }
    if (!this.owns(description.memo)?.declared) return 'foreign';
    const same = isDeepStrictEqual(entryOf(description), plan.entry)
      && description.action.memo?.[SPEC_MEMO] === plan.action.memo[SPEC_MEMO]
      && isDeepStrictEqual(asJson(description.action.args), asJson(plan.action.args));
    return same ? 'current' : 'stale';
  }

  /** Creates a declared entry, or brings it in step; see `compare`. */
  async declare(id: string, plan: Plan, status: 'missing' | 'stale'): Promise<void> {
    await (status === 'missing' ? this.insert(id, plan, true) : this.write(id, plan));
  }

  private async insert(id: string, plan: Plan, declared: boolean, state: { paused?: boolean; note?: string } = {}): Promise<void> {
    try {
      await this.temporal.schedule.create({
        scheduleId: id,
        spec: plan.spec,
        action: plan.action,
        policies: plan.policies,
        memo: { [OWNER_MEMO]: { queue: this.options.workflowQueue, declared } satisfies Ownership },
        typedSearchAttributes: plan.searchAttributes,
        state: { ...state, remainingActions: plan.remainingActions },
      });
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) throw new ScheduleExistsError(id);
      throw err;
    }
  }

  private async write(id: string, plan: Plan): Promise<void> {
    const handle = await this.handle(id);
    await handle.update((previous) => {
      const limitChanged = entryOf(previous).limit !== plan.entry.limit;
      return {
        spec: plan.spec,
        action: plan.action,
        policies: plan.policies,
        typedSearchAttributes: plan.searchAttributes,
        state: {
          paused: previous.state.paused,
          note: previous.state.note,
          remainingActions: limitChanged ? plan.remainingActions : previous.state.remainingActions,
        },
      };
    });
  }

  /** A handle to one of this app's schedules; another's schedule is not found. */
  private async handle(id: string): Promise<ScheduleHandle> {
    await this.describe(id);
    return this.temporal.schedule.getHandle(id);
  }

  private async describe(id: string): Promise<ScheduleDescription> {
    try {
      const description = await this.temporal.schedule.getHandle(id).describe();
      if (this.owns(description.memo)) return description;
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    throw new UnknownScheduleError(id);
  }

  private owns(memo: Record<string, unknown> | undefined): Ownership | undefined {
    const ownership = memo?.[OWNER_MEMO] as Ownership | undefined;
    return ownership?.queue === this.options.workflowQueue ? ownership : undefined;
  }

  private async taskState(id: string): Promise<TaskState | null> {
    try {
      return (await this.options.celerity.get(id)).state;
    } catch (err) {
      if (err instanceof TaskNotFoundError) return null;
      throw err;
    }
  }
}

function summary(
  id: string,
  memo: Record<string, unknown> | undefined,
  task: string | undefined,
  state: { paused: boolean; note?: string },
  nextRunTimes: Date[],
): ScheduleSummary {
  return {
    id,
    task: task ?? null,
    declared: Boolean((memo?.[OWNER_MEMO] as Ownership | undefined)?.declared),
    paused: state.paused,
    note: state.note || null,
    nextRunTimes: nextRunTimes.slice(0, 5),
  };
}

function entryOf(description: ScheduleDescription): BeatEntry {
  return description.action.memo?.[ENTRY_MEMO] as BeatEntry;
}

function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
