/**
 * Celery's crontab fields (`minute`, `hour`, `day_of_week`, `day_of_month`, `month_of_year`):
 * each field's syntax (`*\/15`, `1-5`, `mon-fri`, lists), expanded to the values it matches
 * and turned into a Temporal calendar. Pure; errors name the field at fault.
 */
import type { CalendarSpec, LooseRange } from '@temporalio/client';
import { DAYS, MONTHS } from './calendar-names.js';
import type { CrontabValues } from './dst.js';
import { InvalidScheduleError } from './entry.js';
import type { Crontab, CrontabField } from './spec.js';

interface FieldRule {
  min: number;
  max: number;
  /** Names Temporal gives the values, from `min` on; a value is also accepted by name. */
  names?: readonly string[];
}

/** Celery's ranges; day_of_week also takes 7 for Sunday, as cron does. */
const CRONTAB_FIELDS: Record<keyof Crontab, FieldRule & { calendar: keyof CrontabValues }> = {
  minute: { min: 0, max: 59, calendar: 'minute' },
  hour: { min: 0, max: 23, calendar: 'hour' },
  dayOfMonth: { min: 1, max: 31, calendar: 'dayOfMonth' },
  monthOfYear: { min: 1, max: 12, names: MONTHS, calendar: 'month' },
  dayOfWeek: { min: 0, max: 6, names: DAYS, calendar: 'dayOfWeek' },
};

/** The values each crontab field matches; a missing field matches everything. */
export function crontabValues(fields: Crontab, fieldName: (key: string) => string): CrontabValues {
  const unknown = Object.keys(fields).find((key) => !(key in CRONTAB_FIELDS));
  if (unknown) {
    throw new InvalidScheduleError(fieldName(unknown), 'is not a crontab field (minute, hour, day of week, day of month, month of year)');
  }
  const values: Partial<CrontabValues> = {};
  for (const [key, rule] of Object.entries(CRONTAB_FIELDS)) {
    const value = fields[key as keyof Crontab] ?? '*';
    try {
      values[rule.calendar] = expandField(value, rule);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      throw new InvalidScheduleError(fieldName(key), `${JSON.stringify(value)}: ${err.message}`);
    }
  }
  return values as CrontabValues;
}

/** A crontab as one Temporal calendar; every field is set, since a missing one means `*` to Celery but 0 to Temporal. */
export function toCalendar(values: CrontabValues): CalendarSpec {
  const calendar: Record<string, unknown> = { second: 0 };
  for (const rule of Object.values(CRONTAB_FIELDS)) calendar[rule.calendar] = toRanges(values[rule.calendar], rule);
  return calendar as CalendarSpec;
}

class FieldError extends Error {}

/** The values a crontab field matches, with Celery's rules (`crontab_parser`). */
function expandField(value: CrontabField, rule: FieldRule): number[] {
  const parts = Array.isArray(value) ? value : typeof value === 'number' ? [value] : String(value).split(',');
  if (parts.length === 0) throw new FieldError('matches nothing');
  const matched = new Set<number>();
  for (const part of parts) {
    for (const v of typeof part === 'number' ? [checkNumber(part, rule)] : expandPart(part.trim(), rule)) matched.add(v);
  }
  return [...matched].sort((a, b) => a - b);
}

/** One comma-separated part: `*`, `n`, `a-b`, `*\/n` or `a-b/n` (a range past the end wraps around, as in Celery). */
function expandPart(part: string, rule: FieldRule): number[] {
  const match = /^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/(\w*))?$/i.exec(part);
  if (!match) throw new FieldError(`${JSON.stringify(part)} is not *, a value, a range a-b or a step */n or a-b/n`);
  const [, star, from, to, step] = match;
  let values: number[];
  if (star) {
    values = range(rule.min, rule.max);
  } else {
    const start = parseValue(from, rule);
    if (to === undefined) {
      if (step !== undefined) throw new FieldError(`a step needs a range (*/${step} or a-b/${step}), not ${JSON.stringify(part)}`);
      return [normalize(start, rule)];
    }
    const end = parseValue(to, rule);
    // A range that ends before it starts wraps around (`fri-mon`); `7-1` is Sunday to Monday.
    const first = end < start ? normalize(start, rule) : start;
    values = end >= first ? range(first, end) : [...range(first, rule.max), ...range(rule.min, end)];
  }
  if (step !== undefined) {
    const every = Number(step);
    if (!/^\d+$/.test(step) || every < 1) throw new FieldError(`the step must be a whole number, at least 1, not ${JSON.stringify(step)}`);
    values = values.filter((_, i) => i % every === 0);
  }
  return values.map((v) => normalize(v, rule));
}

function parseValue(text: string, rule: FieldRule): number {
  if (/^\d+$/.test(text)) return checkNumber(Number(text), rule);
  const name = text.toLowerCase();
  const index = rule.names?.findIndex((n) => n.toLowerCase() === name || n.slice(0, 3).toLowerCase() === name) ?? -1;
  if (index < 0) {
    const known = rule.names ? `; names are ${rule.names.map((n) => n.slice(0, 3).toLowerCase()).join(', ')}` : '';
    throw new FieldError(`${JSON.stringify(text)} is not a number${rule.names ? ' or a name' : ''}${known}`);
  }
  return rule.min + index;
}

/** Day of week 7 is Sunday, as in cron. */
function checkNumber(value: number, rule: FieldRule): number {
  const max = rule.names === DAYS ? 7 : rule.max;
  if (!Number.isInteger(value) || value < rule.min || value > max) {
    throw new FieldError(`${value} is out of range ${rule.min}-${max}`);
  }
  return value;
}

function normalize(value: number, rule: FieldRule): number {
  return rule.names === DAYS ? value % 7 : value;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Values as Temporal ranges, readable in its UI: `*` for all, one stepped range for an evenly
 * spaced set (`*\/15` → 0-45/15), else runs of consecutive values (`mon-fri`, `0,12`).
 */
function toRanges(values: number[], rule: FieldRule): '*' | LooseRange<number | string>[] {
  if (values.length === rule.max - rule.min + 1) return '*';
  const label = (v: number) => (rule.names ? rule.names[v - rule.min] : v);
  const step = values[1] - values[0];
  if (values.length >= 3 && step > 1 && values.every((v, i) => v === values[0] + i * step)) {
    return [{ start: label(values[0]), end: label(values[values.length - 1]), step }];
  }
  const ranges: LooseRange<number | string>[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j] + 1) j++;
    ranges.push(i === j ? label(values[i]) : { start: label(values[i]), end: label(values[j]) });
    i = j + 1;
  }
  return ranges;
}
