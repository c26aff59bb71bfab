/**
 * Daylight-saving time for crontabs, as cron users expect it: on the day a zone's clocks jump,
 * a crontab's time of day runs once. Temporal's calendars, read in the schedule's zone, run a
 * time the clocks show twice twice and a time they skip never; the corrections here are extra
 * calendars and skip calendars that Temporal carries out like any other.
 *
 * Pure: the zone's offset changes come from the tz database of Node's Intl, computed once per zone.
 */
import type { CalendarSpec, LooseRange } from '@temporalio/client';
import { DAYS, MONTHS } from './calendar-names.js';

/** The values each crontab field matches, expanded (day of week 0 = Sunday). */
export interface CrontabValues {
  minute: number[];
  hour: number[];
  dayOfMonth: number[];
  month: number[];
  dayOfWeek: number[];
}

/** Calendars to add to a schedule's spec, and times to skip, in the schedule's zone. */
export interface DstCorrections {
  calendars: CalendarSpec[];
  skip: CalendarSpec[];
}

/**
 * The corrections cover the years from Celerity's first with this rule to 2100, the last that
 * Temporal's calendars know; before, a schedule runs as Temporal alone computes it.
 */
const FIRST_YEAR = 2026;
const LAST_YEAR = 2100;
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The corrections that make a crontab in `zone` run each time of day once on the days its
 * clocks change (Vixie cron's rule for jobs at a fixed time):
 * - a time the clocks skip (spring forward) runs at the change, the first time after the gap;
 * - a time the clocks show twice (fall back) runs once, when the repeated interval is over:
 *   Temporal reads both occurrences as the same wall-clock time, so it cannot keep only the first.
 * A crontab that runs every hour keeps to real time instead (as in cron): nothing to correct.
 */
export function dstCorrections(values: CrontabValues, zone: string): DstCorrections {
  if (values.hour.length === 24) return { calendars: [], skip: [] };
  const runs: Item[] = [];
  const skips: Item[] = [];
  for (const change of offsetChanges(zone)) {
    // Wall-clock times as UTC milliseconds: the clocks read `at + offset`.
    const before = change.at + change.before * MINUTE;
    const after = change.at + change.after * MINUTE;
    const [from, to] = after > before ? [before, after] : [after, before];
    // In both directions the time after the odd interval is read once: it takes the run.
    const end = new Date(to);
    if (matchesBetween(values, from, to)) runs.push(item(to, { hour: [end.getUTCHours()], minute: [end.getUTCMinutes()], second: [0] }));
    // Temporal runs the whole wall-clock hour holding a repeat again, one hour later: after a
    // 30-minute change, a time before the repeat can come back inside it.
    const hour = from - new Date(from).getUTCMinutes() * MINUTE;
    if (after < before && matchesBetween(values, hour, to)) skips.push(...pieces(from, to));
  }
  return {
    calendars: group(runs, 'daylight saving: a skipped or repeated time runs once, here'),
    skip: group(skips, 'daylight saving: repeated times, run once after'),
  };
}

interface OffsetChange {
  /** When, in UTC milliseconds. */
  at: number;
  /** The UTC offsets before and after, in minutes. */
  before: number;
  after: number;
}

const changesByZone = new Map<string, OffsetChange[]>();

/** Every change of the zone's UTC offset in Temporal's years, found by weekly samples then bisection. */
function offsetChanges(zone: string): OffsetChange[] {
  let changes = changesByZone.get(zone);
  if (changes) return changes;
  const offset = offsetReader(zone);
  changes = [];
  const end = Date.UTC(LAST_YEAR + 1, 0, 1);
  for (let t = Date.UTC(FIRST_YEAR, 0, 1), previous = offset(t); t < end; t += 7 * DAY) {
    const next = offset(t + 7 * DAY);
    if (next !== previous) {
      let [lo, hi] = [t / MINUTE, t / MINUTE + 7 * 24 * 60];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offset(mid * MINUTE) === previous) lo = mid;
        else hi = mid;
      }
      changes.push({ at: hi * MINUTE, before: previous, after: next });
    }
    previous = next;
  }
  changesByZone.set(zone, changes);
  return changes;
}

/** The zone's UTC offset in minutes at a time, from Intl's `GMT+05:30`. */
function offsetReader(zone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  return (ms) => {
    const name = format.formatToParts(ms).find((part) => part.type === 'timeZoneName')!.value;
    const match = /([+-])(\d\d):(\d\d)/.exec(name);
    return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  };
}

/** Whether the crontab has a time in the wall-clock interval [from, to). */
function matchesBetween(values: CrontabValues, from: number, to: number): boolean {
  for (let t = from; t < to; t += MINUTE) {
    const d = new Date(t);
    if (values.minute.includes(d.getUTCMinutes()) && values.hour.includes(d.getUTCHours())
      && values.dayOfMonth.includes(d.getUTCDate()) && values.month.includes(d.getUTCMonth() + 1)
      && values.dayOfWeek.includes(d.getUTCDay())) return true;
  }
  return false;
}

/** One day's correction: its date, and the time fields of its calendar. */
interface Item {
  year: number;
  month: number;
  day: number;
  weekday: number;
  time: Pick<CalendarSpec, 'hour' | 'minute' | 'second'>;
}

function item(wall: number, time: Item['time']): Item {
  const d = new Date(wall);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), time };
}

/** The wall-clock interval [from, to) as one item per day and per run of hours. */
function pieces(from: number, to: number): Item[] {
  const items: Item[] = [];
  for (let start = from; start < to;) {
    const d = new Date(start);
    const hourEnd = start + (60 - d.getUTCMinutes()) * MINUTE;
    const end = Math.min(to, hourEnd, Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
    if (d.getUTCMinutes() === 0 && end === hourEnd) {
      // Whole hours, up to the end of the interval or of the day.
      const stop = Math.min(Math.floor((to - start) / (60 * MINUTE)), 24 - d.getUTCHours());
      items.push(item(start, { hour: [span(d.getUTCHours(), d.getUTCHours() + stop - 1)], minute: '*', second: '*' }));
      start += stop * 60 * MINUTE;
    } else {
      items.push(item(start, { hour: [d.getUTCHours()], minute: [span(d.getUTCMinutes(), new Date(end - MINUTE).getUTCMinutes())], second: '*' }));
      start = end;
    }
  }
  return items;
}

/**
 * Items as few calendars: the same time on the same weekday of the same month in many years is
 * one calendar, its day of month a 7-day window (which holds that weekday once) and its years listed.
 */
function group(items: Item[], comment: string): CalendarSpec[] {
  const bySignature = new Map<string, Item[]>();
  for (const it of items) {
    const key = JSON.stringify([it.month, it.weekday, it.time]);
    bySignature.set(key, [...(bySignature.get(key) ?? []), it]);
  }
  const calendars: CalendarSpec[] = [];
  for (const members of bySignature.values()) {
    const remaining = [...members].sort((a, b) => a.day - b.day || a.year - b.year);
    while (remaining.length > 0) {
      const first = remaining[0].day;
      const window = remaining.filter((it) => it.day <= first + 6);
      remaining.splice(0, window.length);
      const { month, weekday, time } = window[0];
      calendars.push({
        ...time,
        dayOfMonth: [span(first, Math.min(first + 6, 31))],
        month: [MONTHS[month - 1]],
        dayOfWeek: [DAYS[weekday]],
        year: runs(window.map((it) => it.year)),
        comment,
      });
    }
  }
  return calendars;
}

function span(start: number, end: number): LooseRange<number> {
  return start === end ? start : { start, end };
}

/** Years as ranges of consecutive years. */
function runs(years: number[]): LooseRange<number>[] {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const ranges: LooseRange<number>[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(span(sorted[i], sorted[j]));
    i = j + 1;
  }
  return ranges;
}
