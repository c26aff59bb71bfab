import { Injectable } from '@nestjs/common';
import type { BeatEntry, ScheduleInfo, ScheduleSummary } from '../../beat/entry.js';
import { Schedules } from '../../beat/schedules.js';
import type { OverlapPolicy } from '../../beat/spec.js';
import { camelCase, snakeCase } from '../names.js';
import type { ScheduleDto, ScheduleListDto, ScheduleSummaryDto } from './dto/schedule.dto.js';
import type { CreateSchedule, ScheduleBody, UpdateSchedule } from './schedule.schema.js';

/** Speaks REST's snake_case JSON to the beat schedules, and their errors as HTTP's. */
@Injectable()
export class SchedulesService {
  constructor(private readonly schedules: Schedules) {}

  async create(body: CreateSchedule): Promise<ScheduleDto> {
    return toScheduleDto(await this.schedules.create(body.id, toEntry(body), { paused: body.paused, note: body.note }));
  }

  async list(): Promise<ScheduleListDto> {
    return { schedules: (await this.schedules.list()).map(toSummaryDto) };
  }

  async get(id: string): Promise<ScheduleDto> {
    return toScheduleDto(await this.schedules.get(id));
  }

  /** Merges the given fields into the schedule's entry; null removes one. */
  async update(id: string, body: UpdateSchedule): Promise<ScheduleDto> {
    const current = fromEntry((await this.schedules.get(id)).entry);
    const merged = Object.fromEntries(Object.entries({ ...current, ...body }).filter(([, v]) => v !== null && v !== undefined));
    return toScheduleDto(await this.schedules.update(id, toEntry(merged as unknown as ScheduleBody)));
  }

  async pause(id: string, note?: string): Promise<ScheduleDto> {
    return toScheduleDto(await this.schedules.pause(id, note));
  }

  async unpause(id: string, note?: string): Promise<ScheduleDto> {
    return toScheduleDto(await this.schedules.unpause(id, note));
  }

  async trigger(id: string, overlap?: OverlapPolicy): Promise<ScheduleDto> {
    await this.schedules.trigger(id, overlap);
    return this.get(id);
  }

  async backfill(id: string, start: string, end: string, overlap?: OverlapPolicy): Promise<ScheduleDto> {
    await this.schedules.backfill(id, new Date(start), new Date(end), overlap);
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    await this.schedules.delete(id);
  }
}

const renameKeys = (object: object, rename: (key: string) => string) =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [rename(key), value]));
const isCrontab = (schedule: unknown): schedule is object => typeof schedule === 'object' && schedule !== null && !Array.isArray(schedule);

function toEntry(body: ScheduleBody): BeatEntry {
  return {
    task: body.task,
    canvas: body.canvas,
    args: body.args,
    kwargs: body.kwargs,
    options: body.options && renameKeys(body.options, camelCase),
    schedule: isCrontab(body.schedule) ? renameKeys(body.schedule, camelCase) : body.schedule,
    timezone: body.timezone,
    jitter: body.jitter,
    overlap: body.overlap,
    catchupWindow: body.catchup_window,
    startAt: body.start_at,
    endAt: body.end_at,
    limit: body.limit,
  };
}

type EntryDto = Pick<ScheduleDto, 'task' | 'canvas' | 'args' | 'kwargs' | 'options' | 'schedule' | 'timezone' | 'jitter' | 'overlap' | 'catchup_window' | 'start_at' | 'end_at' | 'limit'>;

/** An entry as REST writes it; times read back from Temporal's memo are ISO strings already. */
function fromEntry(entry: BeatEntry): EntryDto {
  return {
    task: entry.task ?? null,
    ...(entry.canvas === undefined ? {} : { canvas: entry.canvas as Record<string, unknown> }),
    args: entry.args ?? [],
    kwargs: entry.kwargs ?? {},
    options: renameKeys(entry.options ?? {}, snakeCase),
    schedule: isCrontab(entry.schedule) ? renameKeys(entry.schedule, snakeCase) : entry.schedule,
    timezone: entry.timezone ?? null,
    jitter: entry.jitter ?? null,
    overlap: entry.overlap ?? 'skip',
    catchup_window: entry.catchupWindow ?? null,
    start_at: (entry.startAt as string | undefined) ?? null,
    end_at: (entry.endAt as string | undefined) ?? null,
    limit: entry.limit ?? null,
  };
}

function toSummaryDto(schedule: ScheduleSummary): ScheduleSummaryDto {
  return {
    id: schedule.id,
    task: schedule.task,
    declared: schedule.declared,
    paused: schedule.paused,
    note: schedule.note,
    next_run_times: schedule.nextRunTimes.map((t) => t.toISOString()),
  };
}

function toScheduleDto(schedule: ScheduleInfo): ScheduleDto {
  const { spec } = schedule;
  return {
    ...toSummaryDto(schedule),
    ...fromEntry(schedule.entry),
    remaining_runs: schedule.remainingRuns,
    spec: {
      calendars: (spec.calendars ?? []).map((calendar) => renameKeys(calendar, snakeCase)),
      skip: (spec.skip ?? []).map((calendar) => renameKeys(calendar, snakeCase)),
      intervals: (spec.intervals ?? []).map((interval) => ({ every: interval.every / 1000, offset: (interval.offset ?? 0) / 1000 })),
      timezone: spec.timezone || 'UTC',
      jitter: (spec.jitter ?? 0) / 1000,
      start_at: spec.startAt?.toISOString() ?? null,
      end_at: spec.endAt?.toISOString() ?? null,
    },
    recent_runs: schedule.recentRuns.map((run) => ({
      task_id: run.taskId,
      scheduled_at: run.scheduledAt.toISOString(),
      started_at: run.startedAt.toISOString(),
      state: run.state,
    })),
    runs_taken: schedule.runsTaken,
    created_at: schedule.createdAt.toISOString(),
    updated_at: schedule.updatedAt?.toISOString() ?? null,
  };
}
