/**
 * The example app's beat schedule (Celery's `beat_schedule`): `celerity dev` brings Temporal's
 * schedules in step with it at startup. Kept to one harmless daily run.
 */
import type { BeatSchedule } from '../src/beat/entry.js';
import { crontab } from '../src/beat/spec.js';

export const beatSchedule: BeatSchedule = {
  'nightly-xsum': { task: 'xsum', args: [[1, 2, 3]], schedule: crontab({ minute: 0, hour: 3 }) },
};
