/** `celerity schedule ls|show|add|pause|unpause|trigger|rm`: beat's schedules over /schedules. */
import { EXIT, type ApiClient, type ApiSchemas } from './api-client.js';
import { parseArg, parseKwargs } from './call.js';
import { printJson, table } from './output.js';

type ScheduleSummary = ApiSchemas['ScheduleSummaryDto'];
type Schedule = ApiSchemas['ScheduleDto'];

export interface AddScheduleOptions { schedule: string; kwargs?: string; timezone?: string; queue?: string; paused?: boolean; note?: string }

const path = (id: string, action = '') => `/schedules/${encodeURIComponent(id)}${action}`;

function printSchedule(schedule: Schedule, json: boolean): number {
  if (json) {
    printJson(schedule);
    return EXIT.OK;
  }
  const lines = [
    `${schedule.id}: ${schedule.task ?? '?'} on ${JSON.stringify(schedule.schedule)}${schedule.timezone ? ` (${schedule.timezone})` : ''}`,
    `paused:    ${schedule.paused ? `yes${schedule.note ? ` (${schedule.note})` : ''}` : 'no'}`,
    `next runs: ${schedule.next_run_times.join(', ') || '-'}`,
  ];
  if (schedule.recent_runs.length) {
    lines.push('recent runs:', table(['TASK ID', 'SCHEDULED AT', 'STATE'], schedule.recent_runs.map((r) => [r.task_id, r.scheduled_at, r.state])));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.OK;
}

export const scheduleCommands = {
  async ls(api: ApiClient, options: { json?: boolean }): Promise<number> {
    const { schedules } = await api.get<{ schedules: ScheduleSummary[] }>('/schedules');
    if (options.json) printJson(schedules);
    else if (!schedules.length) process.stdout.write('(no schedules)\n');
    else {
      const rows = schedules.map((s) => [s.id, s.task, s.paused ? 'paused' : 'active', s.next_run_times[0] ?? null, s.declared ? 'code' : 'api']);
      process.stdout.write(`${table(['ID', 'TASK', 'STATUS', 'NEXT RUN', 'FROM'], rows)}\n`);
    }
    return EXIT.OK;
  },

  async show(api: ApiClient, id: string, options: { json?: boolean }): Promise<number> {
    return printSchedule(await api.get<Schedule>(path(id)), options.json ?? false);
  },

  async add(api: ApiClient, id: string, task: string, args: string[], options: AddScheduleOptions & { json?: boolean }): Promise<number> {
    const kwargs = parseKwargs(options.kwargs);
    const created = await api.post<Schedule>('/schedules', {
      id,
      task,
      args: args.map(parseArg),
      ...(kwargs ? { kwargs } : {}),
      // A bare number is seconds; anything else is an interval ("every 30s") or a cron string.
      schedule: /^\d+$/.test(options.schedule) ? Number(options.schedule) : options.schedule,
      ...(options.timezone ? { timezone: options.timezone } : {}),
      ...(options.queue ? { options: { queue: options.queue } } : {}),
      ...(options.paused ? { paused: true } : {}),
      ...(options.note ? { note: options.note } : {}),
    });
    return printSchedule(created, options.json ?? false);
  },

  async act(api: ApiClient, id: string, action: 'pause' | 'unpause' | 'trigger', options: { note?: string; json?: boolean }): Promise<number> {
    const schedule = await api.post<Schedule>(path(id, `/${action}`), action === 'trigger' || !options.note ? {} : { note: options.note });
    return printSchedule(schedule, options.json ?? false);
  },

  async rm(api: ApiClient, id: string): Promise<number> {
    await api.delete(path(id));
    process.stdout.write(`deleted ${id}\n`);
    return EXIT.OK;
  },
};
