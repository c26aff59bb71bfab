// The scale-out test's app, loaded by real `celerity worker|api -A` processes from dist/: tasks
// that record each execution (key and pid) in CELERITY_SCALE_COUNT_FILE, outside Temporal, and a
// beat schedule that both API processes declare.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineApp } from '../../dist/src/app.js';
import { currentTask, defineTask, TaskRegistry } from '../../dist/src/tasks/index.js';

const record = (event, key) => appendFileSync(process.env.CELERITY_SCALE_COUNT_FILE, `${event} ${key} ${process.pid}\n`);

/** Records its start and end around a short wait; returns `key`. A beat run is keyed by its own task id. */
const count = defineTask('scale_count', { params: ['key'] }, async (key) => {
  const id = key === 'beat' ? currentTask().id : key;
  record('start', id);
  await sleep(20);
  record('done', id);
  return id;
});

const one = defineTask('scale_one', { params: ['key'] }, (key) => {
  record('done', key);
  return 1;
});

const sum = defineTask('scale_sum', { params: ['numbers'] }, (numbers) => numbers.reduce((a, b) => a + b, 0));

export default defineApp({
  registry: new TaskRegistry([count, one, sum]),
  beatSchedule: { 'scale-beat': { task: 'scale_count', args: ['beat'], schedule: 'every 10s' } },
});
