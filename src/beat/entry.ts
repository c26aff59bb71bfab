/**
 * A periodic task as the app declares it (an entry of Celery's `beat_schedule`) and as it reads
 * back from Temporal (summary, info, runs), with the errors of checking and looking one up.
 */
import type { ScheduleSpecDescription } from '@temporalio/client';
import type { TaskState } from '../client/state.js';
import type { CallOptions } from '../tasks/index.js';
import type { Schedule, SchedulePolicies } from './spec.js';

/** One periodic task, as an entry of Celery's `beat_schedule`. */
export interface BeatEntry extends SchedulePolicies {
  /** The task to run, or (with `canvas`) left empty. */
  task?: string;
  /** Or a canvas to run, in either JSON form of CANVAS.md (chain, group, chord, ...). */
  canvas?: unknown;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  /**
   * Call options for every run; a run has its own id and starts when due, so no taskId,
   * countdown or eta, and `expires` only in seconds, counted from each run's start.
   */
  options?: Omit<CallOptions, 'taskId' | 'countdown' | 'eta' | 'expires'> & { expires?: number };
  schedule: Schedule;
}

/** Celery's `beat_schedule`: schedule id → entry. */
export type BeatSchedule = Record<string, BeatEntry>;

export interface ScheduleRun {
  /** The run's task id (its workflow id): `<schedule id>-<scheduled time>`. */
  taskId: string;
  scheduledAt: Date;
  startedAt: Date;
  /** The task's state, or null once Temporal no longer keeps it. */
  state: TaskState | null;
}

export interface ScheduleSummary {
  id: string;
  task: string | null;
  /** Declared in code (a beat schedule): the app's sync creates, updates and removes it. */
  declared: boolean;
  paused: boolean;
  note: string | null;
  nextRunTimes: Date[];
}

export interface ScheduleInfo extends ScheduleSummary {
  entry: BeatEntry;
  /** Runs left when the schedule has a limit. */
  remainingRuns: number | null;
  /** The spec as Temporal keeps it. */
  spec: ScheduleSpecDescription;
  /** The latest runs, oldest first, with their tasks' states. */
  recentRuns: ScheduleRun[];
  runsTaken: number;
  createdAt: Date;
  updatedAt: Date | null;
}

export class UnknownScheduleError extends Error {
  override name = 'UnknownScheduleError';
  constructor(readonly scheduleId: string) {
    super(`no schedule with id ${JSON.stringify(scheduleId)}`);
  }
}

export class ScheduleExistsError extends Error {
  override name = 'ScheduleExistsError';
  constructor(readonly scheduleId: string) {
    super(`a schedule with id ${JSON.stringify(scheduleId)} exists`);
  }
}

/** A schedule or option that cannot be: `field` names it as the entry spells it. */
export class InvalidScheduleError extends Error {
  override name = 'InvalidScheduleError';
  /** `field` is the path of the value at fault, e.g. `schedule.dayOfWeek`. */
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
  }
}
