/**
 * What a canvas workflow asks the built-in map activity for (CANVAS.md rules 16 and 17): one
 * activity that calls a task for each item in order. Pure: shared by workflow code, which
 * schedules it, and the worker, which runs it (map.ts).
 */
import type { ActivityPlan } from './options.js';

/** The activity types of map and starmap, Celery's names for the same built-in tasks. */
export const MAP_ACTIVITY = 'celery.map';
export const STARMAP_ACTIVITY = 'celery.starmap';

/** The items of a map and the task called with each. */
export interface MapCall {
  /** The registered task called for each item. */
  task: string;
  it: unknown[];
  /**
   * Item i runs with task id `<prefix>/<offset + i><suffix>` (`currentTask().id`): the map's
   * member id, numbered across the partitions of a large map, with its run suffix (ids.ts).
   */
  itemIds: { prefix: string; offset: number; suffix: string };
}

/** Task id of item `i` of a map (see MapCall.itemIds). */
export function mapItemId({ itemIds: { prefix, offset, suffix } }: MapCall, i: number): string {
  return `${prefix}/${offset + i}${suffix}`;
}

/**
 * The plan of a map activity of `count` items from its task's plan: the task's time limits
 * (hard and soft) are per item, so the map's are the task's times the item count; everything
 * else (queue, retry rules, expiry, priority) is the task's.
 */
export function mapPlan(plan: ActivityPlan, count: number): ActivityPlan {
  const times = Math.max(1, count);
  return {
    ...plan,
    timeLimitS: plan.timeLimitS * times,
    ...(plan.softTimeLimitS === undefined ? {} : { softTimeLimitS: plan.softTimeLimitS * times }),
  };
}
