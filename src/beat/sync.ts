/**
 * The declarative side of beat: brings Temporal's schedules in step with the app's
 * `beat_schedule` at startup. It creates what is missing, updates what changed, removes what was
 * declared before and is no longer, and never touches a schedule it did not declare.
 * Safe to run again, and from several processes at once.
 */
import { InvalidScheduleError, ScheduleExistsError, UnknownScheduleError, type BeatSchedule } from './entry.js';
import type { Schedules } from './schedules.js';

export interface SyncReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
  /** Declared, but a schedule of that id exists that beat does not manage (made over REST, or another app's). */
  skipped: string[];
}

export async function syncBeatSchedule(schedules: Schedules, declared: BeatSchedule): Promise<SyncReport> {
  // Every entry is checked before anything changes, so a mistake in one changes nothing.
  const plans = Object.entries(declared).map(([id, entry]) => {
    try {
      return [id, schedules.plan(id, entry)] as const;
    } catch (err) {
      if (err instanceof InvalidScheduleError) throw new InvalidScheduleError(`beat schedule ${JSON.stringify(id)}: ${err.field}`, err.reason);
      throw err;
    }
  });
  const report: SyncReport = { created: [], updated: [], unchanged: [], deleted: [], skipped: [] };
  for (const [id, plan] of plans) {
    let status = await schedules.compare(id, plan);
    if (status === 'missing') {
      try {
        await schedules.declare(id, plan, status);
        report.created.push(id);
        continue;
      } catch (err) {
        // Another process created it meanwhile: compare again.
        if (!(err instanceof ScheduleExistsError)) throw err;
        status = await schedules.compare(id, plan);
      }
    }
    if (status === 'stale') await schedules.declare(id, plan, status);
    const outcome = { foreign: report.skipped, current: report.unchanged, stale: report.updated, missing: report.created }[status];
    outcome.push(id);
  }
  for (const schedule of await schedules.list()) {
    if (schedule.declared && !(schedule.id in declared)) {
      await schedules.delete(schedule.id).catch(ignoreGone);
      report.deleted.push(schedule.id);
    }
  }
  return report;
}

/** The list may still show a schedule another process has just removed. */
function ignoreGone(err: unknown): void {
  if (!(err instanceof UnknownScheduleError)) throw err;
}
