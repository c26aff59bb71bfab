import { buildTaskQuery, decodePageToken, encodePageToken, InvalidSearchError, literal, stateOfStatus, statusesOfState } from '../../src/client/search.js';
import { taskIdOf } from '../../src/api/logging.js';
import { queuesToDescribe, workersOf } from '../../src/client/inspect.js';
import { defineTask } from '../../src/tasks/index.js';

describe('buildTaskQuery', () => {
  test('always narrows to Celerity\'s workflow queue', () => {
    expect(buildTaskQuery('celerity', {})).toBe("TaskQueue = 'celerity' AND WorkflowType != 'canvasPartition'");
  });

  test('each filter becomes a clause on its search attribute', () => {
    const query = buildTaskQuery('wq', {
      task: 'add',
      queue: 'celery',
      rootId: 'r1',
      parentId: 'p1',
      scheduleId: 's1',
      since: new Date('2026-01-01T00:00:00Z'),
      until: new Date('2026-01-02T00:00:00Z'),
    });
    expect(query).toBe(
      "TaskQueue = 'wq' AND WorkflowType != 'canvasPartition' AND CelerityTask = 'add' AND CelerityQueue = 'celery' AND CelerityRootId = 'r1' AND CelerityParentId = 'p1'" +
        " AND CelerityScheduleId = 's1' AND StartTime >= '2026-01-01T00:00:00.000Z' AND StartTime < '2026-01-02T00:00:00.000Z'",
    );
  });

  test('states become the execution statuses that can hold them, once each', () => {
    expect(buildTaskQuery('wq', { states: ['SUCCESS'] })).toBe("TaskQueue = 'wq' AND WorkflowType != 'canvasPartition' AND ExecutionStatus IN ('Completed')");
    expect(buildTaskQuery('wq', { states: ['PENDING', 'STARTED', 'PROGRESS'] })).toBe("TaskQueue = 'wq' AND WorkflowType != 'canvasPartition' AND ExecutionStatus IN ('Running')");
    expect(buildTaskQuery('wq', { states: ['FAILURE', 'REVOKED'] })).toBe(
      "TaskQueue = 'wq' AND WorkflowType != 'canvasPartition' AND ExecutionStatus IN ('Failed', 'TimedOut', 'Canceled', 'Terminated')",
    );
  });

  test('quotes and backslashes in values cannot break out of the literal', () => {
    expect(literal("it's")).toBe("'it\\'s'");
    expect(literal('a\\')).toBe("'a\\\\'");
    expect(buildTaskQuery('wq', { task: "x' OR TaskQueue = 'other" })).toBe("TaskQueue = 'wq' AND WorkflowType != 'canvasPartition' AND CelerityTask = 'x\\' OR TaskQueue = \\'other'");
  });
});

test('page tokens round-trip, and a mangled one is refused before it reaches Temporal', () => {
  const token = encodePageToken(Buffer.from('{"LastStartTime":"2026-01-01"}'));
  expect(decodePageToken(token).toString()).toBe('{"LastStartTime":"2026-01-01"}');
  expect(() => decodePageToken(`x${token}`)).toThrow(InvalidSearchError);
  expect(() => decodePageToken('bm90LWEtdG9rZW4')).toThrow(/page_token/);
});

describe('state ↔ status', () => {
  test('an expired task is a failed workflow, so REVOKED includes Failed; not-ready states are Running', () => {
    expect(statusesOfState('SUCCESS')).toEqual(['Completed']);
    expect(statusesOfState('REVOKED')).toEqual(['Canceled', 'Terminated', 'Failed']);
    expect(statusesOfState('STARTED')).toEqual(['Running']);
    expect(statusesOfState('PROGRESS')).toEqual(['Running']);
  });

  test('closed statuses read as Celery states; Running and Failed do not tell', () => {
    expect(stateOfStatus('Completed')).toBe('SUCCESS');
    expect(stateOfStatus('Canceled')).toBe('REVOKED');
    expect(stateOfStatus('Terminated')).toBe('REVOKED');
    expect(stateOfStatus('TimedOut')).toBe('FAILURE');
    expect(stateOfStatus('Failed')).toBeNull();
    expect(stateOfStatus('Running')).toBeNull();
  });
});

describe('queues and workers', () => {
  const tasks = [
    defineTask('a', {}, () => 1),
    defineTask('b', { queue: 'images' }, () => 1),
    defineTask('c', { rateLimit: '10/s' }, () => 1),
  ];

  test('the workflow queue, celery, each task\'s queue and rate-limited queues are described', () => {
    const queues = queuesToDescribe('wq', tasks);
    expect(queues.map((q) => q.name)).toEqual(['wq', 'celery', 'images', expect.stringContaining('c')]);
    expect(queues[0].kind).toBe('workflow');
    expect(queues.slice(1).every((q) => q.kind === 'task')).toBe(true);
  });

  test('asking for queues by name describes just those', () => {
    expect(queuesToDescribe('wq', tasks, ['images', 'wq', 'images'])).toEqual([
      { name: 'images', kind: 'task' },
      { name: 'wq', kind: 'workflow' },
    ]);
  });

  test('pollers regroup by worker identity, latest first', () => {
    const queue = (name: string, pollers: Array<[string, string]>) => ({
      name, kind: 'task' as const, backlog: 0, backlogAgeS: 0, addRate: 0, dispatchRate: 0,
      pollers: pollers.map(([identity, lastSeen]) => ({ identity, lastSeen: new Date(lastSeen), ratePerSecond: 0 })),
    });
    const workers = workersOf([
      queue('celery', [['w1', '2026-01-01T00:00:01Z'], ['w2', '2026-01-01T00:00:05Z']]),
      queue('images', [['w1', '2026-01-01T00:00:09Z']]),
    ]);
    expect(workers.map((w) => [w.identity, w.lastSeen?.toISOString(), w.queues.map((q) => q.name)])).toEqual([
      ['w1', '2026-01-01T00:00:09.000Z', ['celery', 'images']],
      ['w2', '2026-01-01T00:00:05.000Z', ['celery']],
    ]);
  });
});

test('a request\'s task id comes from its path, or from the task POST /tasks answered with', () => {
  expect(taskIdOf('/tasks/abc', undefined)).toBe('abc');
  expect(taskIdOf('/tasks/a%20b/result', undefined)).toBe('a b');
  expect(taskIdOf('/tasks/stats', undefined)).toBeUndefined();
  expect(taskIdOf('/tasks', 'new-id')).toBe('new-id');
  expect(taskIdOf('/health', undefined)).toBeUndefined();
});
