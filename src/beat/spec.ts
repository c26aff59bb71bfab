/**
 * Celery beat's schedules (an interval, a cron string or crontab fields) and options, checked
 * and turned into a Temporal schedule spec. Pure: Temporal's server computes every run time;
 * this only translates, with errors that name the field at fault.
 */
import type { ScheduleOverlapPolicy, ScheduleSpec } from '@temporalio/client';
import { crontabValues, toCalendar } from './crontab.js';
import { dstCorrections, type CrontabValues } from './dst.js';
import { InvalidScheduleError } from './entry.js';

/** One crontab field as Celery takes it: `'*\/15'`, `'0,12'`, `'mon-fri'`, `5`, or a list of those. */
export type CrontabField = string | number | Array<string | number>;

/** Celery's `crontab(...)` fields; a missing field matches everything, as in Celery. */
export interface Crontab {
  minute?: CrontabField;
  hour?: CrontabField;
  dayOfWeek?: CrontabField;
  dayOfMonth?: CrontabField;
  monthOfYear?: CrontabField;
}

/**
 * When a schedule runs: seconds or an interval string (`"every 30s"`, `"1h30m"`), a five-field
 * cron string (`"*\/5 * * * *"`, `"@daily"`), or crontab fields.
 */
export type Schedule = number | string | Crontab;

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;
/** What a run due while the previous one still runs does (Temporal's overlap policy). */
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** How a schedule runs, besides when. Durations are in seconds. */
export interface SchedulePolicies {
  /** IANA time zone of calendar schedules; default UTC. */
  timezone?: string;
  /** Each run is delayed by a random amount up to this. */
  jitter?: number;
  /** Default `skip`. */
  overlap?: OverlapPolicy;
  /** After an outage, runs missed by at most this long still happen; default one year. */
  catchupWindow?: number;
  /** No run before this time. */
  startAt?: string | Date;
  /** No run after this time. */
  endAt?: string | Date;
  /** Stop after this many runs. */
  limit?: number;
}

/** Checks crontab fields at once (Celery's `crontab(...)`), so a mistake fails where it is written. */
export function crontab(fields: Crontab = {}): Crontab {
  crontabValues(fields, (key) => `crontab.${key}`);
  return fields;
}

/** The calendars or intervals of a schedule, in its time zone. */
export function compileSchedule(schedule: Schedule, field = 'schedule'): Pick<ScheduleSpec, 'calendars' | 'intervals'> {
  return toSpec(readSchedule(schedule, field));
}

function toSpec(read: CrontabValues | { every: number }): Pick<ScheduleSpec, 'calendars' | 'intervals'> {
  return 'every' in read ? { intervals: [{ every: read.every * 1000 }] } : { calendars: [toCalendar(read)] };
}

/** A schedule as the values its crontab matches, or an interval in seconds. */
function readSchedule(schedule: Schedule, field: string): CrontabValues | { every: number } {
  if (typeof schedule === 'number') return { every: intervalSeconds(schedule, field) };
  if (typeof schedule === 'string') {
    const text = schedule.trim();
    const shorthand = SHORTHANDS[text.toLowerCase()];
    const fields = (shorthand ?? text).split(/\s+/);
    // Intervals start with a number or "every", crontab's minute field with a digit or `*`.
    if (fields.length === 5 && /^[\d*]/.test(fields[0])) {
      const [minute, hour, dayOfMonth, monthOfYear, dayOfWeek] = fields;
      return crontabValues({ minute, hour, dayOfMonth, monthOfYear, dayOfWeek }, (key) => `${field} (cron field ${key})`);
    }
    return { every: intervalSeconds(text, field) };
  }
  if (typeof schedule === 'object' && schedule !== null && !Array.isArray(schedule)) {
    return crontabValues(schedule, (key) => `${field}.${key}`);
  }
  throw new InvalidScheduleError(field, 'must be seconds, an interval ("every 30s"), a cron string ("*/5 * * * *") or crontab fields');
}

/**
 * The whole Temporal spec: when, in which time zone, with what jitter, between which times.
 * A crontab in a zone with daylight saving time also gets the calendars and skips that make
 * it run each time of day once on the days the clocks change (see `dstCorrections`).
 */
export function compileSpec(entry: SchedulePolicies & { schedule: Schedule }): ScheduleSpec {
  const read = readSchedule(entry.schedule, 'schedule');
  const spec: ScheduleSpec = toSpec(read);
  if (entry.timezone !== undefined) spec.timezone = timezone(entry.timezone);
  if (spec.timezone && !('every' in read)) {
    const { calendars, skip } = dstCorrections(read, spec.timezone);
    spec.calendars!.push(...calendars);
    if (skip.length > 0) spec.skip = skip;
  }
  if (entry.jitter !== undefined) spec.jitter = seconds(entry.jitter, 'jitter', 0) * 1000;
  if (entry.startAt !== undefined) spec.startAt = time(entry.startAt, 'startAt');
  if (entry.endAt !== undefined) spec.endAt = time(entry.endAt, 'endAt');
  if (spec.startAt && spec.endAt && spec.endAt <= spec.startAt) throw new InvalidScheduleError('endAt', 'must be after the start time');
  return spec;
}

/** Temporal's policies and run limit for the schedule's options. */
export function compilePolicies(entry: SchedulePolicies): {
  overlap: ScheduleOverlapPolicy;
  catchupWindow?: number;
  remainingActions?: number;
} {
  const result: ReturnType<typeof compilePolicies> = { overlap: overlapPolicy(entry.overlap ?? 'skip', 'overlap') };
  if (entry.catchupWindow !== undefined) result.catchupWindow = seconds(entry.catchupWindow, 'catchupWindow', 1) * 1000;
  if (entry.limit !== undefined) {
    if (!Number.isInteger(entry.limit) || entry.limit < 1) throw new InvalidScheduleError('limit', 'must be a whole number of runs, at least 1');
    result.remainingActions = entry.limit;
  }
  return result;
}

/** Celery's overlap policy name as Temporal's. */
export function overlapPolicy(policy: string, field: string): ScheduleOverlapPolicy {
  if (!(OVERLAP_POLICIES as readonly string[]).includes(policy)) {
    throw new InvalidScheduleError(field, `must be one of ${OVERLAP_POLICIES.join(', ')}`);
  }
  return policy.toUpperCase() as ScheduleOverlapPolicy;
}

const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
};

/** An interval in whole seconds, from seconds or `"every 1h 30m"` (Temporal counts whole seconds). */
export function intervalSeconds(interval: number | string, field = 'schedule'): number {
  let total = interval;
  if (typeof interval === 'string') {
    const text = interval.trim().toLowerCase().replace(/^@?every\s+/, '');
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]*)\s*/g)];
    const valid = parts.length > 0 && parts.map((p) => p[0]).join('') === text
      && parts.every((p) => (p[2] ? p[2] in UNIT_SECONDS : parts.length === 1));
    if (!valid) {
      throw new InvalidScheduleError(field, `${JSON.stringify(interval)} is neither an interval ("every 30s", "5m", "1h 30m") nor a five-field cron string ("*/15 * * * *")`);
    }
    total = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2] || 's'], 0);
  }
  return seconds(total as number, field, 1, 'an interval ');
}

function seconds(value: number, field: string, min: number, what = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidScheduleError(field, `${what}must be a whole number of seconds, at least ${min}; got ${JSON.stringify(value)}`);
  }
  return value;
}

function time(value: string | Date, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidScheduleError(field, 'must be an ISO 8601 time');
  return date;
}

/**
 * The IANA zone in the spelling Temporal's server expects (`europe/paris` → `Europe/Paris`);
 * an unknown zone fails here, not on the server.
 */
function timezone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidScheduleError('timezone', `unknown time zone ${JSON.stringify(zone)}; use an IANA name such as "Europe/Paris" or "UTC"`);
  }
}
