/** Beat over REST and from code, end to end: Temporal Schedules starting ordinary Celerity tasks. */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { BeatSchedule } from '../../src/beat/entry.js';
import { Schedules } from '../../src/beat/schedules.js';
import { crontab } from '../../src/beat/spec.js';
import { syncBeatSchedule } from '../../src/beat/sync.js';
import { connectClient } from '../../src/temporal/connection.js';
import { SCHEDULE_ID } from '../../src/temporal/search-attributes.js';
import { answerSchema, violations, type OpenApiDocument } from '../support/openapi-schema.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let temporal: Client;
const created: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  temporal = await connectClient(stack.config);
});
afterAll(async () => {
  // Schedules outlive the stack: stop them firing into a queue nobody serves.
  await Promise.all(created.map((id) => request('DELETE', `/schedules/${id}`)));
  await temporal?.connection.close();
  await stack?.stop();
});

async function request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function createSchedule(body: Record<string, unknown>) {
  const id = `${body.id ?? 'schedule'}-${randomUUID().slice(0, 8)}`;
  const response = await request('POST', '/schedules', { ...body, id });
  expect(response.status).toBe(201);
  created.push(id);
  return response.body;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls GET /schedules/{id} until `done` holds (or fails after `timeoutMs`). */
async function waitFor(id: string, done: (schedule: any) => boolean, timeoutMs = 12_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await request('GET', `/schedules/${id}`);
    expect(status).toBe(200);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`schedule ${id} did not get there: ${JSON.stringify(body, null, 1)}`);
    await sleep(300);
  }
}

const succeeded = (schedule: any) => schedule.recent_runs.filter((run: any) => run.state === 'SUCCESS');

test('an every-second schedule runs the task with its arguments; each run is an ordinary task carrying the schedule id', async () => {
  const schedule = await createSchedule({ id: 'every-second', task: 'add', args: [2], kwargs: { y: 3 }, schedule: 'every 1s' });
  expect(schedule).toMatchObject({ task: 'add', args: [2], kwargs: { y: 3 }, schedule: 'every 1s', paused: false, declared: false, overlap: 'skip' });
  expect(schedule.spec.intervals).toEqual([{ every: 1, offset: 0 }]);
  expect(schedule.next_run_times).toHaveLength(5);

  const done = await waitFor(schedule.id, (s) => succeeded(s).length >= 2);
  const runs = succeeded(done);
  expect(new Set(runs.map((run: any) => run.task_id)).size).toBe(runs.length);
  const task = (await request('GET', `/tasks/${runs[0].task_id}`)).body;
  expect(task).toMatchObject({ id: runs[0].task_id, task: 'add', state: 'SUCCESS', result: 5, args: [2], kwargs: { y: 3 } });
  expect(task.id.startsWith(`${schedule.id}-`)).toBe(true);
  const description = await temporal.workflow.getHandle(task.id).describe();
  expect(description.typedSearchAttributes.get(SCHEDULE_ID)).toBe(schedule.id);

  expect((await request('GET', '/schedules')).body.schedules).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: schedule.id, task: 'add', paused: false })]),
  );
});

test('pause stops the runs, with its note, and unpause resumes them', async () => {
  const schedule = await createSchedule({ id: 'pausing', task: 'identity', args: ['tick'], schedule: 1 });
  await waitFor(schedule.id, (s) => s.runs_taken >= 1);

  const paused = await request('POST', `/schedules/${schedule.id}/pause`, { note: 'maintenance' });
  expect(paused.status).toBe(200);
  expect(paused.body).toMatchObject({ paused: true, note: 'maintenance' });
  await sleep(2500);
  const still = (await request('GET', `/schedules/${schedule.id}`)).body;
  expect(still.paused).toBe(true);
  expect(still.runs_taken).toBe(paused.body.runs_taken);

  const resumed = await request('POST', `/schedules/${schedule.id}/unpause`, {});
  expect(resumed.body.paused).toBe(false);
  await waitFor(schedule.id, (s) => s.runs_taken >= paused.body.runs_taken + 2);
});

test('trigger runs it now, even while paused', async () => {
  const schedule = await createSchedule({ id: 'trigger', task: 'mul', args: [6, 7], schedule: 'every 1h', paused: true, note: 'on demand' });
  expect(schedule.runs_taken).toBe(0);
  const triggered = await request('POST', `/schedules/${schedule.id}/trigger`, {});
  expect(triggered.status).toBe(202);
  const done = await waitFor(schedule.id, (s) => succeeded(s).length === 1);
  expect(done.runs_taken).toBe(1);
  expect((await request('GET', `/tasks/${done.recent_runs[0].task_id}`)).body).toMatchObject({ state: 'SUCCESS', result: 42 });
});

test('a schedule may run a canvas: each run is a canvas whose members are tasks', async () => {
  const canvas = { chain: [{ task: 'add', args: [2, 2] }, { task: 'mul', args: [4] }] };
  const schedule = await createSchedule({ id: 'canvas', canvas, schedule: 'every 1h', paused: true });
  expect(schedule).toMatchObject({ task: null, canvas });
  await request('POST', `/schedules/${schedule.id}/trigger`, {});
  const done = await waitFor(schedule.id, (s) => succeeded(s).length === 1);
  const run = (await request('GET', `/tasks/${done.recent_runs[0].task_id}`)).body;
  expect(run).toMatchObject({ task: 'chain', state: 'SUCCESS', result: 16 });
  expect(run.children.map((member: { id: string }) => member.id)).toEqual([`${run.id}~1`, `${run.id}~2`]);

  const bad = await request('POST', '/schedules', { id: 'bad-canvas', canvas: { chain: [{ task: 'add', args: [1, 1] }, { task: 'nope' }] }, schedule: 'every 1h' });
  expect(bad.status).toBe(400);
  expect(bad.body.message).toContain('canvas.chain[1].task');
  const both = await request('POST', '/schedules', { id: 'both', task: 'add', canvas, schedule: 'every 1h' });
  expect(both.status).toBe(400);
  expect(both.body.message).toContain('either a task or a canvas');
});

test('limit stops the schedule after that many runs', async () => {
  const schedule = await createSchedule({ id: 'limit', task: 'add', args: [1, 1], schedule: 1, limit: 2 });
  expect(schedule.remaining_runs).toBe(2);
  await waitFor(schedule.id, (s) => s.remaining_runs === 0 && s.runs_taken === 2);
  await sleep(2000);
  expect((await request('GET', `/schedules/${schedule.id}`)).body).toMatchObject({ runs_taken: 2, next_run_times: [] });
});

test('backfill takes every run due in a past range: a yearly crontab over three years runs three times', async () => {
  const schedule = await createSchedule({
    id: 'backfill', task: 'identity', args: ['new year'], paused: true,
    schedule: { minute: 0, hour: 0, day_of_month: 1, month_of_year: 'jan' },
  });
  const response = await request('POST', `/schedules/${schedule.id}/backfill`, { start: '2020-06-01T00:00:00Z', end: '2023-06-01T00:00:00Z' });
  expect(response.status).toBe(202);
  const done = await waitFor(schedule.id, (s) => succeeded(s).length === 3);
  expect(done.recent_runs.map((run: any) => run.scheduled_at)).toEqual(['2021-01-01T00:00:00.000Z', '2022-01-01T00:00:00.000Z', '2023-01-01T00:00:00.000Z']);
  await sleep(1000);
  expect((await request('GET', `/schedules/${schedule.id}`)).body.runs_taken).toBe(3);
});

test('update changes the spec and what the runs do, and keeps the schedule paused', async () => {
  const schedule = await createSchedule({ id: 'update', task: 'add', args: [1, 1], schedule: 'every 1h', paused: true, jitter: 5 });
  const args = await request('PATCH', `/schedules/${schedule.id}`, { args: [20, 22], jitter: null });
  expect(args.body).toMatchObject({ args: [20, 22], schedule: 'every 1h', jitter: null });
  const response = await request('PATCH', `/schedules/${schedule.id}`, {
    schedule: { minute: '*/15', hour: '0,12', day_of_week: 'mon-fri' },
    timezone: 'UTC',
  });
  expect(response.status).toBe(200);
  const updated = response.body;
  expect(updated).toMatchObject({ paused: true, args: [20, 22], schedule: { minute: '*/15', hour: '0,12', day_of_week: 'mon-fri' } });
  expect(updated.spec.intervals).toEqual([]);
  expect(updated.spec.calendars[0]).toMatchObject({
    minute: [{ start: 0, end: 45, step: 15 }],
    hour: [{ start: 0, end: 0, step: 1 }, { start: 12, end: 12, step: 1 }],
    day_of_week: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
  });
  for (const time of updated.next_run_times.map((t: string) => new Date(t))) {
    expect([0, 12]).toContain(time.getUTCHours());
    expect(time.getUTCMinutes() % 15).toBe(0);
    expect([1, 2, 3, 4, 5]).toContain(time.getUTCDay());
  }
  await request('POST', `/schedules/${schedule.id}/trigger`, {});
  const done = await waitFor(schedule.id, (s) => succeeded(s).length === 1);
  expect((await request('GET', `/tasks/${done.recent_runs[0].task_id}`)).body.result).toBe(42);
});

test('invalid schedules are 400 naming the field, and create nothing', async () => {
  const base = { id: `invalid-${randomUUID().slice(0, 8)}`, task: 'add', args: [1, 1], schedule: 'every 1m' };
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ schedule: '* 25 * * *' }, 'schedule (cron field hour): "25": 25 is out of range 0-23'],
    [{ schedule: { day_of_week: 'funday' } }, 'schedule.day_of_week: "funday"'],
    [{ schedule: 0 }, 'schedule: an interval must be a whole number of seconds, at least 1'],
    [{ schedule: 'every 0s' }, 'schedule: an interval'],
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone: unknown time zone "Mars/Olympus_Mons"'],
    [{ task: 'no-such-task' }, 'task: no task named "no-such-task" is registered'],
    [{ args: [1, 2, 3] }, 'add() takes 2 positional arguments but 3 were given'],
    [{ overlap: 'sometimes' }, 'overlap'],
    [{ options: { countdown: 5 } }, 'options.countdown'],
    [{ options: { expires: '2030-01-01T00:00:00Z' } }, 'options.expires must be a number'],
    [{ schedule: undefined }, 'schedule is required'],
  ];
  for (const [change, message] of cases) {
    const response = await request('POST', '/schedules', { ...base, ...change });
    expect({ change, status: response.status, error: response.body.error }).toEqual({ change, status: 400, error: 'Bad Request' });
    expect(response.body.message).toContain(message);
  }
  expect((await request('GET', `/schedules/${base.id}`)).status).toBe(404);
  const patch = await request('PATCH', '/schedules/no-such-schedule', { schedule: 'every 1m' });
  expect(patch.status).toBe(404);
  expect(patch.body.message).toBe('no schedule with id "no-such-schedule"');
});

test('options reach Temporal: time zone, jitter, overlap, catch-up window, start and end; an existing id is 409; delete removes it', async () => {
  const schedule = await createSchedule({
    id: 'twice', task: 'add', args: [1, 1], schedule: 'every 1h', paused: true, note: 'not yet',
    timezone: 'America/New_York', jitter: 30, overlap: 'buffer_one', catchup_window: 120,
    start_at: '2030-01-01T00:00:00Z', end_at: '2031-01-01T00:00:00Z', options: { queue: 'reports', max_retries: 1, expires: 60 },
  });
  expect(schedule).toMatchObject({ catchup_window: 120, overlap: 'buffer_one', options: { queue: 'reports', max_retries: 1, expires: 60 }, note: 'not yet' });
  expect(schedule.spec).toMatchObject({ timezone: 'America/New_York', jitter: 30, start_at: '2030-01-01T00:00:00.000Z', end_at: '2031-01-01T00:00:00.000Z' });
  const jitter = Date.parse(schedule.next_run_times[0]) - Date.parse('2030-01-01T00:00:00Z');
  expect(jitter >= 0 && jitter <= 30_000).toBe(true);
  const description = await temporal.schedule.getHandle(schedule.id).describe();
  expect(description.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 120_000 });
  expect(description.state).toMatchObject({ paused: true, note: 'not yet' });
  // Each run's expiry counts from its own start, not from when the schedule was made.
  expect((description.action as { args: Array<{ plan: unknown }> }).args[0].plan).toMatchObject({ queue: 'reports', expiresAfterS: 60 });

  const again = await request('POST', '/schedules', { id: schedule.id, task: 'add', args: [1, 1], schedule: 'every 1h' });
  expect(again.status).toBe(409);
  expect((await request('DELETE', `/schedules/${schedule.id}`)).status).toBe(204);
  expect((await request('GET', `/schedules/${schedule.id}`)).status).toBe(404);
  expect((await request('DELETE', `/schedules/${schedule.id}`)).status).toBe(404);
});

test('the declared beat schedule syncs at startup: created once, unchanged on restart, updated and removed with the code, never touching others', async () => {
  const prefix = `beat-${randomUUID().slice(0, 8)}`;
  const [hourly, weekdays, rest] = [`${prefix}-hourly`, `${prefix}-weekdays`, `${prefix}-rest`];
  created.push(hourly, weekdays, rest);
  const restart = () => new Schedules({ temporal, celerity: stack.client, workflowQueue: stack.config.workflowQueue });
  const declared: BeatSchedule = {
    [hourly]: { task: 'add', args: [1, 2], schedule: 'every 1h' },
    [weekdays]: { task: 'echo', kwargs: { report: 'daily' }, schedule: crontab({ minute: 30, hour: 7, dayOfWeek: 'mon-fri' }), timezone: 'Europe/Paris' },
    [rest]: { task: 'add', args: [0, 0], schedule: 60 },
  };
  // One made over REST with a declared name: beat leaves it alone.
  const other = await request('POST', '/schedules', { id: rest, task: 'identity', args: ['mine'], schedule: 'every 1h', paused: true });
  expect(other.status).toBe(201);

  expect(await syncBeatSchedule(restart(), declared)).toEqual({ created: [hourly, weekdays], updated: [], unchanged: [], deleted: [], skipped: [rest] });
  expect(await syncBeatSchedule(restart(), declared)).toEqual({ created: [], updated: [], unchanged: [hourly, weekdays], deleted: [], skipped: [rest] });
  const mine = async () => (await request('GET', '/schedules')).body.schedules.filter((s: any) => s.id.startsWith(prefix));
  expect((await mine()).map((s: any) => [s.id, s.declared])).toEqual([[hourly, true], [rest, false], [weekdays, true]]);
  expect((await request('GET', `/schedules/${weekdays}`)).body).toMatchObject({
    declared: true, task: 'echo', kwargs: { report: 'daily' }, timezone: 'Europe/Paris',
    schedule: { minute: 30, hour: 7, day_of_week: 'mon-fri' },
  });

  const changed: BeatSchedule = { [weekdays]: { ...declared[weekdays], schedule: crontab({ minute: 0, hour: 9, dayOfWeek: 'sat,sun' }) } };
  expect(await syncBeatSchedule(restart(), changed)).toEqual({ created: [], updated: [weekdays], unchanged: [], deleted: [hourly], skipped: [] });
  expect((await request('GET', `/schedules/${hourly}`)).status).toBe(404);
  expect((await request('GET', `/schedules/${weekdays}`)).body.spec.calendars[0]).toMatchObject({
    hour: [{ start: 9, end: 9, step: 1 }],
    day_of_week: [{ start: 'SUNDAY', end: 'SUNDAY', step: 1 }, { start: 'SATURDAY', end: 'SATURDAY', step: 1 }],
  });
  expect((await request('GET', `/schedules/${rest}`)).body).toMatchObject({ task: 'identity', args: ['mine'], paused: true, declared: false });

  await expect(syncBeatSchedule(restart(), { bad: { task: 'add', args: [1, 1], schedule: 'every 0s' } })).rejects.toThrow('beat schedule "bad": schedule');
});

test('/openapi.json documents every schedules route and its errors', async () => {
  const { paths, components } = (await request('GET', '/openapi.json')).body;
  expect(Object.keys(paths['/schedules'])).toEqual(expect.arrayContaining(['post', 'get']));
  expect(Object.keys(paths['/schedules/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
  for (const action of ['pause', 'unpause', 'trigger', 'backfill']) {
    expect(Object.keys(paths[`/schedules/{id}/${action}`].post.responses)).toEqual(expect.arrayContaining(['400', '404']));
  }
  expect(Object.keys(paths['/schedules'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '409']));
  expect(Object.keys(components.schemas)).toEqual(expect.arrayContaining(['CreateScheduleDto', 'ScheduleDto', 'CrontabDto', 'BackfillScheduleDto']));
});

test('the schedules routes\' answers validate against /openapi.json', async () => {
  const document = (await request('GET', '/openapi.json')).body as OpenApiDocument;
  const wrong: string[] = [];
  const check = (method: string, path: string, answer: { status: number; body: unknown }) => {
    wrong.push(...violations(document, answerSchema(document, method, path, answer.status), answer.body, `${method} ${path}`));
  };
  const id = `answers-${randomUUID().slice(0, 8)}`;
  const body = {
    id, canvas: { chain: [{ task: 'add', args: [1, 1] }, { task: 'mul', args: [2] }] }, schedule: { minute: '*/15', hour: 3 },
    timezone: 'Europe/Paris', jitter: 1, overlap: 'buffer_one', catchup_window: 60, limit: 3, options: { expires: 30, queue: 'celery' },
    start_at: '2026-01-01T00:00:00Z', end_at: '2099-01-01T00:00:00Z', note: 'why',
  };
  const createdAnswer = await request('POST', '/schedules', body);
  created.push(id);
  check('post', '/schedules', createdAnswer);
  check('post', '/schedules/{id}/trigger', await request('POST', `/schedules/${id}/trigger`, {}));
  check('patch', '/schedules/{id}', await request('PATCH', `/schedules/${id}`, { schedule: 'every 1h', timezone: null }));
  check('post', '/schedules/{id}/pause', await request('POST', `/schedules/${id}/pause`, { note: 'paused' }));
  check('get', '/schedules/{id}', await waitFor(id, (s) => s.recent_runs.length > 0).then((schedule) => ({ status: 200, body: schedule })));
  check('get', '/schedules', await request('GET', '/schedules'));
  check('post', '/schedules', await request('POST', '/schedules', { ...body, schedule: undefined }));
  expect(wrong).toEqual([]);
});

describe('daylight-saving time: on the days the clocks change, each time of day runs once (next run times from Temporal)', () => {
  /** The next run times Temporal computes for a paused crontab schedule starting at `start_at`. */
  async function nextRuns(schedule: unknown, timezone: string, start_at: string): Promise<string[]> {
    const created = await createSchedule({ id: 'dst', task: 'add', args: [1, 1], schedule, timezone, start_at, paused: true });
    return created.next_run_times;
  }
  const iso = (...times: string[]) => times.map((time) => new Date(time).toISOString());

  test('America/New_York, 01:30 daily: 01:30 occurs twice on 2027-11-07 and runs once, when the repeated hour is over (02:00 EST)', async () => {
    expect(await nextRuns({ minute: 30, hour: 1 }, 'America/New_York', '2027-11-05T00:00:00Z')).toEqual(iso(
      '2027-11-05T05:30:00Z', '2027-11-06T05:30:00Z', '2027-11-07T07:00:00Z', '2027-11-08T06:30:00Z', '2027-11-09T06:30:00Z',
    ));
  });

  test('America/New_York, 02:30 daily: 02:30 does not exist on 2027-03-14 and runs at the change (03:00 EDT)', async () => {
    expect(await nextRuns('30 2 * * *', 'America/New_York', '2027-03-12T00:00:00Z')).toEqual(iso(
      '2027-03-12T07:30:00Z', '2027-03-13T07:30:00Z', '2027-03-14T07:00:00Z', '2027-03-15T06:30:00Z', '2027-03-16T06:30:00Z',
    ));
  });

  test('Australia/Sydney (southern hemisphere), 02:30 daily: once on 2027-04-04 (repeated) and on 2027-10-03 (skipped)', async () => {
    expect(await nextRuns({ minute: 30, hour: 2 }, 'Australia/Sydney', '2027-04-01T00:00:00Z')).toEqual(iso(
      '2027-04-01T15:30:00Z', '2027-04-02T15:30:00Z', '2027-04-03T17:00:00Z', '2027-04-04T16:30:00Z', '2027-04-05T16:30:00Z',
    ));
    expect(await nextRuns({ minute: 30, hour: 2 }, 'Australia/Sydney', '2027-10-01T00:00:00Z')).toEqual(iso(
      '2027-10-01T16:30:00Z', '2027-10-02T16:00:00Z', '2027-10-03T15:30:00Z', '2027-10-04T15:30:00Z', '2027-10-05T15:30:00Z',
    ));
  });

  test('every shape with a time of day: minute lists on a weekday, */n hours, a 30-minute shift; hourly crontabs keep to real time', async () => {
    // Sundays at 01:15 and 01:45: both repeated on 2027-11-07, one run after the repeated hour.
    expect(await nextRuns({ minute: '15,45', hour: 1, day_of_week: 'sun' }, 'America/New_York', '2027-10-30T00:00:00Z')).toEqual(iso(
      '2027-10-31T05:15:00Z', '2027-10-31T05:45:00Z', '2027-11-07T07:00:00Z', '2027-11-14T06:15:00Z', '2027-11-14T06:45:00Z',
    ));
    // Every two hours in Paris: 02:00 is skipped on 2027-03-28 and repeated on 2027-10-31.
    expect(await nextRuns('0 */2 * * *', 'Europe/Paris', '2027-03-27T22:00:00Z')).toEqual(iso(
      '2027-03-27T23:00:00Z', '2027-03-28T01:00:00Z', '2027-03-28T02:00:00Z', '2027-03-28T04:00:00Z', '2027-03-28T06:00:00Z',
    ));
    expect(await nextRuns('0 */2 * * *', 'Europe/Paris', '2027-10-30T21:00:00Z')).toEqual(iso(
      '2027-10-30T22:00:00Z', '2027-10-31T02:00:00Z', '2027-10-31T03:00:00Z', '2027-10-31T05:00:00Z', '2027-10-31T07:00:00Z',
    ));
    // Lord Howe Island moves its clocks by 30 minutes: 02:00 does not exist on 2027-10-03.
    expect(await nextRuns({ minute: 0, hour: 2 }, 'Australia/Lord_Howe', '2027-09-30T00:00:00Z')).toEqual(iso(
      '2027-09-30T15:30:00Z', '2027-10-01T15:30:00Z', '2027-10-02T15:30:00Z', '2027-10-03T15:00:00Z', '2027-10-04T15:00:00Z',
    ));
    // And 01:30-01:59 repeats on 2027-04-04: 01:00 and 02:00 run once, 01:30 once with 02:00.
    expect(await nextRuns({ minute: '0,30', hour: '1,2' }, 'Australia/Lord_Howe', '2027-04-03T13:00:00Z')).toEqual(iso(
      '2027-04-03T14:00:00Z', '2027-04-03T15:30:00Z', '2027-04-03T16:00:00Z', '2027-04-04T14:30:00Z', '2027-04-04T15:00:00Z',
    ));
    // Temporal runs a repeated hour again 60 minutes later, even after a 30-minute change: 01:15 runs once.
    expect(await nextRuns({ minute: 15, hour: 1 }, 'Australia/Lord_Howe', '2027-04-02T13:00:00Z')).toEqual(iso(
      '2027-04-02T14:15:00Z', '2027-04-03T14:15:00Z', '2027-04-04T14:45:00Z', '2027-04-05T14:45:00Z', '2027-04-06T14:45:00Z',
    ));
    // Hourly: every hour of real time, as in cron: the repeated hour runs again, nothing waits two hours.
    expect(await nextRuns({ minute: 0 }, 'America/New_York', '2027-11-07T03:30:00Z')).toEqual(iso(
      '2027-11-07T04:00:00Z', '2027-11-07T05:00:00Z', '2027-11-07T06:00:00Z', '2027-11-07T07:00:00Z', '2027-11-07T08:00:00Z',
    ));
  });

  test('a schedule updated later to a zone with daylight-saving time gets the same rule', async () => {
    const schedule = await createSchedule({ id: 'dst-update', task: 'add', args: [1, 1], schedule: { minute: 30, hour: 1 }, start_at: '2027-11-05T00:00:00Z', paused: true });
    expect(schedule.next_run_times[2]).toBe('2027-11-07T01:30:00.000Z');
    const updated = await request('PATCH', `/schedules/${schedule.id}`, { timezone: 'America/New_York' });
    expect(updated.status).toBe(200);
    expect(updated.body.next_run_times.slice(1, 4)).toEqual(iso('2027-11-06T05:30:00Z', '2027-11-07T07:00:00Z', '2027-11-08T06:30:00Z'));
    expect(updated.body.spec.skip).toEqual([expect.objectContaining({ month: [{ start: 'NOVEMBER', end: 'NOVEMBER', step: 1 }] })]);
  });
});

test('the declared beat schedule gets the daylight-saving rule, and a schedule declared before it is brought in step at the next sync', async () => {
  const id = `beat-dst-${randomUUID().slice(0, 8)}`;
  created.push(id);
  const schedules = new Schedules({ temporal, celerity: stack.client, workflowQueue: stack.config.workflowQueue });
  const declared: BeatSchedule = {
    [id]: { task: 'add', args: [1, 1], schedule: crontab({ minute: 30, hour: 1 }), timezone: 'America/New_York', startAt: '2027-11-05T00:00:00Z' },
  };
  const expected = ['2027-11-06T05:30:00.000Z', '2027-11-07T07:00:00.000Z', '2027-11-08T06:30:00.000Z'];
  expect((await syncBeatSchedule(schedules, declared)).created).toEqual([id]);
  expect((await request('GET', `/schedules/${id}`)).body.next_run_times.slice(1, 4)).toEqual(expected);

  // As a schedule declared before the rule: same entry, Temporal's calendar alone.
  const handle = temporal.schedule.getHandle(id);
  await handle.update((previous) => {
    const { celeritySpec, ...memo } = previous.action.memo ?? {};
    return { ...previous, spec: { ...previous.spec, calendars: previous.spec.calendars!.slice(0, 1), skip: [] }, action: { ...previous.action, memo } };
  });
  expect((await request('GET', `/schedules/${id}`)).body.next_run_times[2]).toBe('2027-11-07T05:30:00.000Z');

  expect(await syncBeatSchedule(schedules, declared)).toMatchObject({ updated: [id], unchanged: [] });
  expect((await request('GET', `/schedules/${id}`)).body.next_run_times.slice(1, 4)).toEqual(expected);
  expect(await syncBeatSchedule(schedules, declared)).toMatchObject({ updated: [], unchanged: [id] });
});
