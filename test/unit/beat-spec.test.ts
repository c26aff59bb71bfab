/** Celery beat schedules → Temporal schedule specs: Celery's crontab semantics, intervals, cron strings, errors. */
import { InvalidScheduleError } from '../../src/beat/entry.js';
import { compilePolicies, compileSchedule, compileSpec, crontab, intervalSeconds, type Schedule } from '../../src/beat/spec.js';

function calendar(schedule: Schedule) {
  const { calendars, intervals } = compileSchedule(schedule);
  expect(intervals).toBeUndefined();
  expect(calendars).toHaveLength(1);
  return calendars![0];
}

function failure(run: () => unknown): InvalidScheduleError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidScheduleError);
    return err as InvalidScheduleError;
  }
  throw new Error('expected an InvalidScheduleError');
}

describe('crontab fields, with Celery semantics', () => {
  test("minute='*/15' is minutes 0, 15, 30 and 45 of every hour of every day", () => {
    expect(calendar({ minute: '*/15' })).toEqual({
      second: 0,
      minute: [{ start: 0, end: 45, step: 15 }],
      hour: '*', dayOfMonth: '*', month: '*', dayOfWeek: '*',
    });
  });

  test("hour='0,12' is midnight and noon, at minute 0 when minute=0", () => {
    expect(calendar({ minute: 0, hour: '0,12' })).toMatchObject({ minute: [0], hour: [0, 12] });
  });

  test("day_of_week='mon-fri' is Monday to Friday", () => {
    expect(calendar({ minute: 30, hour: 7, dayOfWeek: 'mon-fri' })).toMatchObject({
      minute: [30], hour: [7], dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }], dayOfMonth: '*',
    });
  });

  test('a missing field matches everything: crontab() is every minute, as in Celery', () => {
    expect(calendar({})).toEqual({ second: 0, minute: '*', hour: '*', dayOfMonth: '*', month: '*', dayOfWeek: '*' });
  });

  test('day_of_week: 0 and 7 are Sunday, full and short names in any case, ranges wrap around the week', () => {
    expect(calendar({ dayOfWeek: 0 }).dayOfWeek).toEqual(['SUNDAY']);
    expect(calendar({ dayOfWeek: '7' }).dayOfWeek).toEqual(['SUNDAY']);
    expect(calendar({ dayOfWeek: 'Sunday,sat' }).dayOfWeek).toEqual(['SUNDAY', 'SATURDAY']);
    expect(calendar({ dayOfWeek: 'fri-mon' }).dayOfWeek).toEqual([{ start: 'SUNDAY', end: 'MONDAY' }, { start: 'FRIDAY', end: 'SATURDAY' }]);
    expect(calendar({ dayOfWeek: '0-7' }).dayOfWeek).toBe('*');
    expect(calendar({ dayOfWeek: [1, 3, 5] }).dayOfWeek).toEqual([{ start: 'MONDAY', end: 'FRIDAY', step: 2 }]);
  });

  test('day_of_month and month_of_year start at 1; a-b/n steps within a range; months take names', () => {
    expect(calendar({ dayOfMonth: '*/10' }).dayOfMonth).toEqual([{ start: 1, end: 31, step: 10 }]);
    expect(calendar({ dayOfMonth: '1-15/7' }).dayOfMonth).toEqual([{ start: 1, end: 15, step: 7 }]);
    expect(calendar({ monthOfYear: '*/3' }).month).toEqual([{ start: 'JANUARY', end: 'OCTOBER', step: 3 }]);
    expect(calendar({ monthOfYear: 'jan,jul' }).month).toEqual(['JANUARY', 'JULY']);
    expect(calendar({ hour: '22-2' }).hour).toEqual([{ start: 0, end: 2 }, { start: 22, end: 23 }]);
  });

  test('errors name the field and say why', () => {
    expect(failure(() => compileSchedule({ dayOfWeek: 'funday' })).field).toBe('schedule.dayOfWeek');
    expect(failure(() => compileSchedule({ dayOfWeek: 'funday' })).message).toContain('names are sun, mon, tue, wed, thu, fri, sat');
    expect(failure(() => compileSchedule({ minute: '60' })).message).toBe('schedule.minute: "60": 60 is out of range 0-59');
    expect(failure(() => compileSchedule({ hour: '*/0' })).field).toBe('schedule.hour');
    expect(failure(() => compileSchedule({ minute: '5/15' })).message).toContain('a step needs a range');
    expect(failure(() => compileSchedule({ dayOfMonth: 0 })).field).toBe('schedule.dayOfMonth');
    expect(failure(() => compileSchedule({ seconds: 5 } as never)).field).toBe('schedule.seconds');
    expect(failure(() => crontab({ hour: 'noon' })).field).toBe('crontab.hour');
  });
});

describe('cron strings', () => {
  test('five fields map like crontab fields: minute hour day_of_month month_of_year day_of_week', () => {
    expect(compileSchedule('*/15 0,12 * * mon-fri')).toEqual(compileSchedule({ minute: '*/15', hour: '0,12', dayOfWeek: 'mon-fri' }));
  });

  test('shorthands', () => {
    expect(calendar('@daily')).toMatchObject({ minute: [0], hour: [0], dayOfWeek: '*' });
    expect(calendar('@weekly')).toMatchObject({ dayOfWeek: ['SUNDAY'] });
  });

  test('a bad cron names the cron field', () => {
    expect(failure(() => compileSchedule('* 25 * * *')).message).toBe('schedule (cron field hour): "25": 25 is out of range 0-23');
    expect(failure(() => compileSchedule('0 0 * * xyz')).field).toBe('schedule (cron field dayOfWeek)');
    expect(failure(() => compileSchedule('* * *')).message).toContain('neither an interval');
  });
});

describe('intervals', () => {
  test('seconds, or strings with units', () => {
    expect(compileSchedule(30)).toEqual({ intervals: [{ every: 30_000 }] });
    expect(intervalSeconds('every 30s')).toBe(30);
    expect(intervalSeconds('every 5 minutes')).toBe(300);
    expect(intervalSeconds('1h 30m')).toBe(5400);
    expect(intervalSeconds('@every 2h')).toBe(7200);
    expect(intervalSeconds('1.5m')).toBe(90);
    expect(intervalSeconds('45')).toBe(45);
  });

  test('a zero, fractional or unknown interval is refused', () => {
    expect(failure(() => compileSchedule(0)).message).toBe('schedule: an interval must be a whole number of seconds, at least 1; got 0');
    expect(failure(() => compileSchedule('every 0s')).field).toBe('schedule');
    expect(failure(() => compileSchedule(0.5)).field).toBe('schedule');
    expect(failure(() => compileSchedule('every 3 fortnights')).field).toBe('schedule');
    expect(failure(() => compileSchedule([1] as never)).field).toBe('schedule');
  });
});

describe('spec and policies', () => {
  test('time zone, jitter, start and end', () => {
    expect(compileSpec({ schedule: 60, timezone: 'europe/paris', jitter: 5, startAt: '2030-01-01T00:00:00Z', endAt: new Date('2031-01-01T00:00:00Z') })).toEqual({
      intervals: [{ every: 60_000 }],
      timezone: 'Europe/Paris',
      jitter: 5000,
      startAt: new Date('2030-01-01T00:00:00Z'),
      endAt: new Date('2031-01-01T00:00:00Z'),
    });
    expect(failure(() => compileSpec({ schedule: 60, timezone: 'Mars/Olympus_Mons' })).field).toBe('timezone');
    expect(failure(() => compileSpec({ schedule: 60, startAt: '2031-01-01', endAt: '2030-01-01' })).field).toBe('endAt');
    expect(failure(() => compileSpec({ schedule: 60, jitter: -1 })).field).toBe('jitter');
  });

  test('overlap, catch-up window and run limit', () => {
    expect(compilePolicies({})).toEqual({ overlap: 'SKIP' });
    expect(compilePolicies({ overlap: 'buffer_one', catchupWindow: 60, limit: 3 })).toEqual({ overlap: 'BUFFER_ONE', catchupWindow: 60_000, remainingActions: 3 });
    expect(failure(() => compilePolicies({ overlap: 'sometimes' as never })).field).toBe('overlap');
    expect(failure(() => compilePolicies({ limit: 0 })).field).toBe('limit');
  });
});

describe('daylight-saving time: the corrections that make a time of day run once on the days the clocks change', () => {
  const spec = (schedule: Schedule, timezone: string) => compileSpec({ schedule, timezone });
  const YEARS = [{ start: 2026, end: 2100 }];

  test('fall back: a time the clocks show twice is skipped on that day and runs once when the repeated hour is over', () => {
    const { calendars, skip } = spec({ minute: 30, hour: 1 }, 'America/New_York');
    expect(calendars).toHaveLength(2);
    // The first Sunday of November, whichever day of the month it is, from 2026 to 2100.
    const day = { dayOfMonth: [{ start: 1, end: 7 }], month: ['NOVEMBER'], dayOfWeek: ['SUNDAY'], year: YEARS };
    expect(calendars![1]).toMatchObject({ ...day, hour: [2], minute: [0], second: [0] });
    expect(skip).toEqual([expect.objectContaining({ ...day, hour: [1], minute: '*', second: '*' })]);
  });

  test('spring forward: a time the clocks skip runs at the change', () => {
    const { calendars, skip } = spec('30 2 * * *', 'America/New_York');
    expect(calendars![1]).toMatchObject({ dayOfMonth: [{ start: 8, end: 14 }], month: ['MARCH'], dayOfWeek: ['SUNDAY'], year: YEARS, hour: [3], minute: [0] });
    expect(calendars).toHaveLength(2);
    expect(skip).toBeUndefined();
  });

  test('southern hemisphere: Sydney skips 02:00-03:00 in October and repeats it in April', () => {
    const { calendars, skip } = spec({ minute: 30, hour: 2 }, 'Australia/Sydney');
    expect(calendars!.slice(1).map((c) => [c.month, c.hour])).toEqual([[['APRIL'], [3]], [['OCTOBER'], [3]]]);
    expect(skip!.map((c) => [c.month, c.hour])).toEqual([[['APRIL'], [2]]]);
  });

  test('a 30-minute shift (Lord Howe Island): 02:00 is skipped in October and runs at 02:30; 01:30-01:59 repeats in April', () => {
    const { calendars, skip } = spec({ minute: '0,30', hour: '1,2' }, 'Australia/Lord_Howe');
    expect(calendars!.slice(1).map((c) => [c.month, c.hour, c.minute])).toEqual([[['APRIL'], [2], [0]], [['OCTOBER'], [2], [30]]]);
    expect(skip!.map((c) => [c.month, c.hour, c.minute])).toEqual([[['APRIL'], [1], [{ start: 30, end: 59 }]]]);
    // Temporal repeats the whole hour 60 minutes later: 01:15 would come back at 01:45, in the repeat.
    const quarter = spec({ minute: 15, hour: 1 }, 'Australia/Lord_Howe');
    expect([quarter.calendars!.length, quarter.skip!.map((c) => [c.month, c.hour, c.minute])]).toEqual([1, [[['APRIL'], [1], [{ start: 30, end: 59 }]]]]);
  });

  test('a change at midnight (Santiago): the repeated hour is Saturday 23:00, the run Sunday 00:00', () => {
    const { calendars, skip } = spec({ minute: 30, hour: 23 }, 'America/Santiago');
    expect(calendars![1]).toMatchObject({ month: ['APRIL'], dayOfWeek: ['SUNDAY'], dayOfMonth: [{ start: 2, end: 8 }], hour: [0], minute: [0] });
    expect(skip![0]).toMatchObject({ month: ['APRIL'], dayOfWeek: ['SATURDAY'], dayOfMonth: [{ start: 1, end: 7 }], hour: [23] });
  });

  test('only the days the crontab runs: a day-of-month crontab is corrected in the years its day is the change', () => {
    const { calendars } = spec({ minute: 30, hour: 1, dayOfMonth: 7 }, 'America/New_York');
    // 2027, 2032, 2038, ...: the years whose first Sunday of November is the 7th.
    expect((calendars![1].year as unknown[]).slice(0, 3)).toEqual([2027, 2032, 2038]);
    expect(calendars![1].dayOfMonth).toEqual([{ start: 7, end: 13 }]);
  });

  test('nothing to correct: hourly crontabs (real time, as in cron), times away from the change, weekdays, zones without DST, intervals', () => {
    for (const [schedule, zone] of [
      [{ minute: 0 }, 'America/New_York'],
      ['*/15 * * * *', 'Europe/Paris'],
      ['0 3 * * *', 'Europe/Paris'],
      [{ minute: 30, hour: 1, dayOfWeek: 'mon-fri' }, 'America/New_York'],
      [{ minute: 30, hour: 2 }, 'Asia/Tokyo'],
      [{ minute: 30, hour: 2 }, 'UTC'],
    ] as Array<[Schedule, string]>) {
      const { calendars, skip } = spec(schedule, zone);
      expect({ schedule, zone, calendars: calendars!.length, skip }).toEqual({ schedule, zone, calendars: 1, skip: undefined });
    }
    expect(spec('every 1h', 'America/New_York')).toEqual({ intervals: [{ every: 3_600_000 }], timezone: 'America/New_York' });
  });
});
