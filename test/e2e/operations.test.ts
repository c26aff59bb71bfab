/** Operations over REST against a real dev server: search, stats, queues, workers, metrics, events. */
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function submit(body: unknown): Promise<string> {
  const response = await stack.post('/tasks', body);
  expect(response.status).toBe(202);
  return response.body.id;
}

async function done(id: string) {
  return (await stack.get(`/tasks/${id}/result?timeout=20`)).body;
}

/** Visibility lags by a second or so: ask again until the answer fits. */
async function eventually<T>(read: () => Promise<T>, fits: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (fits(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);

describe('GET /tasks and /tasks/stats', () => {
  let added: string, failed: string, expired: string, sleeping: string;
  const since = new Date(Date.now() - 1000).toISOString();

  beforeAll(async () => {
    [added, failed, expired, sleeping] = await Promise.all([
      submit({ task: 'add', args: [1, 2] }),
      submit({ task: 'fail', args: ['boom'] }),
      submit({ task: 'add', args: [0, 0], options: { expires: new Date(Date.now() - 1000).toISOString() } }),
      submit({ task: 'sleep', args: [30] }),
    ]);
    await Promise.all([added, failed, expired].map(done));
    await eventually(() => stack.get(`/tasks/${sleeping}`), (r) => r.body.state === 'STARTED');
  });
  afterAll(() => stack.post(`/tasks/${sleeping}/revoke`, { terminate: true }));

  const list = (query: string) => stack.get(`/tasks?${query}`).then((r) => {
    expect(r.status).toBe(200);
    return r.body;
  });

  test('filters by task name, with short summaries and a Temporal UI link', async () => {
    const page = await eventually(() => list('task=add'), (b) => b.items.length === 2);
    expect(ids(page).sort()).toEqual([added, expired].sort());
    const item = page.items.find((i: { id: string }) => i.id === added);
    expect(item).toMatchObject({ task: 'add', state: 'SUCCESS', queue: 'celery' });
    expect(Date.parse(item.date_done)).toBeGreaterThanOrEqual(Date.parse(item.date_submitted));
    expect(item.temporal_ui).toContain(`/workflows/${added}/`);
  });

  test('filters by state, telling an expired task (a failed workflow) REVOKED and a running one STARTED', async () => {
    await eventually(() => list('state=SUCCESS'), (b) => b.items.length === 1);
    expect(ids(await list('state=SUCCESS'))).toEqual([added]);
    expect(ids(await list('state=FAILURE'))).toEqual([failed]);
    expect(ids(await list('state=REVOKED'))).toEqual([expired]);
    expect(ids(await list('state=STARTED'))).toEqual([sleeping]);
    expect(ids(await list('state=PENDING'))).toEqual([]);
    expect(ids(await list('state=SUCCESS,FAILURE')).sort()).toEqual([added, failed].sort());
    expect(ids(await list('queue=celery&task=fail'))).toEqual([failed]);
    expect(ids(await list('queue=images'))).toEqual([]);
  });

  test('filters by time range', async () => {
    await eventually(() => list(`since=${since}`), (b) => b.items.length === 4);
    expect(ids(await list(`since=${since}`))).toHaveLength(4);
    expect(ids(await list(`until=${since}`))).toEqual([]);
    expect(ids(await list(`since=${new Date(Date.now() + 60_000).toISOString()}`))).toEqual([]);
  });

  test('pages with limit and page_token until next_page_token is null', async () => {
    await eventually(() => list('limit=100'), (b) => b.items.length === 4);
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page = await list(`limit=3${token ? `&page_token=${token}` : ''}`);
      seen.push(...ids(page));
      token = page.next_page_token;
      pages++;
    } while (token && pages < 5);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([added, failed, expired, sleeping].sort());
  });

  test('invalid filters are 400 naming the field; an unknown page token is 400', async () => {
    const bad = async (query: string, field: string) => {
      const response = await stack.get(`/tasks?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(field);
    };
    await bad('since=yesterday', 'since');
    await bad('limit=0', 'limit');
    await bad('state=done', 'state');
    await bad('page_token=bm90LWEtdG9rZW4', 'page_token');
    await bad('colour=red', 'colour');
  });

  test('a quote in a filter value finds nothing rather than breaking the query', async () => {
    expect(ids(await list(`task=${encodeURIComponent("add' OR CelerityTask = 'fail")}`))).toEqual([]);
  });

  test('GET /tasks/stats counts per state and per task name', async () => {
    const stats = await eventually(
      () => stack.get(`/tasks/stats?since=${since}`).then((r) => r.body),
      (b) => b.total === 4 && b.by_state.SUCCESS === 1,
    );
    expect(stats).toMatchObject({ since, total: 4, by_state: { SUCCESS: 1, FAILURE: 2, REVOKED: 0, RUNNING: 1 } });
    expect(stats.by_task).toEqual({
      add: { total: 2, by_state: { SUCCESS: 1, FAILURE: 1, REVOKED: 0, RUNNING: 0 } },
      fail: { total: 1, by_state: { SUCCESS: 0, FAILURE: 1, REVOKED: 0, RUNNING: 0 } },
      sleep: { total: 1, by_state: { SUCCESS: 0, FAILURE: 0, REVOKED: 0, RUNNING: 1 } },
    });
    expect((await stack.get('/tasks/stats?task=fail')).body).toMatchObject({ total: 1, by_task: { fail: { total: 1 } } });
  });
});

describe('GET /queues and /workers', () => {
  test('queues list the workflow queue and celery with their pollers and backlog', async () => {
    const response = await stack.get('/queues');
    expect(response.status).toBe(200);
    const byName = new Map(response.body.map((q: { name: string }) => [q.name, q]));
    const workflowQueue: any = byName.get(stack.config.workflowQueue);
    expect(workflowQueue).toMatchObject({ kind: 'workflow', backlog: expect.any(Number), dispatch_rate: expect.any(Number) });
    expect(workflowQueue.pollers.length).toBeGreaterThan(0);
    expect(byName.get('celery')).toMatchObject({ kind: 'task', pollers: expect.arrayContaining([expect.objectContaining({ identity: expect.any(String) })]) });
  });

  test('a queue nobody serves shows its backlog and no pollers', async () => {
    const queue = `unserved-${Date.now()}`;
    await submit({ task: 'add', args: [1, 1], options: { queue } });
    const [described] = await eventually(
      () => stack.get(`/queues?queue=${queue}`).then((r) => r.body),
      (b) => b[0]?.backlog === 1,
    );
    expect(described).toMatchObject({ name: queue, kind: 'task', backlog: 1, pollers: [] });
  });

  test('workers are listed by identity with the queues they poll', async () => {
    const response = await stack.get(`/workers?queue=${stack.config.workflowQueue},celery`);
    expect(response.status).toBe(200);
    const worker = response.body.find((w: { queues: Array<{ name: string }> }) => w.queues.some((q) => q.name === stack.config.workflowQueue));
    expect(worker.identity).toContain(String(process.pid));
    expect(worker.queues.map((q: { name: string }) => q.name).sort()).toEqual(['celery', stack.config.workflowQueue].sort());
    expect(Date.now() - Date.parse(worker.last_seen)).toBeLessThan(120_000);
  });
});

test('GET /metrics has request latency by route and status, tasks submitted and tasks by state', async () => {
  const id = await submit({ task: 'mul', args: [6, 7] });
  await done(id);
  await stack.get('/tasks/no-such-task');
  const response = await fetch(`${stack.api.url}/metrics`);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  expect(text).toMatch(/celerity_http_request_duration_seconds_count\{method="POST",route="\/tasks",status="202"\} \d+/);
  expect(text).toMatch(/celerity_http_request_duration_seconds_count\{method="GET",route="\/tasks\/:id",status="404"\} 1/);
  expect(text).toMatch(/celerity_tasks_submitted_total\{task="mul"\} 1/);
  expect(text).toContain('celerity_api_process_cpu_user_seconds_total');
  const states = await eventually(
    () => fetch(`${stack.api.url}/metrics`).then((r) => r.text()),
    (t) => t.includes('celerity_tasks{task="mul",state="SUCCESS"} 1'),
  );
  expect(states).toContain('celerity_tasks{task="mul",state="SUCCESS"} 1');
});

describe('GET /tasks/{id}/events', () => {
  async function events(id: string): Promise<Array<{ event: string; data: any }>> {
    const response = await fetch(`${stack.api.url}/tasks/${id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text(); // the stream ends when the task is ready
    return text.trim().split('\n\n').map((block) => {
      const [event, data] = block.split('\n');
      return { event: event.replace('event: ', ''), data: JSON.parse(data.replace('data: ', '')) };
    });
  }

  test('streams each state change, PROGRESS meta included, and ends when the task is ready', async () => {
    const id = await submit({ task: 'progress', args: [3, 1] });
    const received = await events(id);
    expect(received.every((e) => e.event === 'state' && e.data.id === id)).toBe(true);
    const states = received.map((e) => e.data.state);
    expect(states[states.length - 1]).toBe('SUCCESS');
    expect(received[received.length - 1].data.result).toBe(3);
    expect(states).toContain('PROGRESS');
    expect(received.find((e) => e.data.state === 'PROGRESS')!.data.meta).toMatchObject({ total: 3 });
    // Only changes are sent.
    const keys = received.map((e) => JSON.stringify([e.data.state, e.data.meta]));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a ready task sends its one state; an unknown id is 404', async () => {
    const id = await submit({ task: 'add', args: [2, 2] });
    await done(id);
    expect((await events(id)).map((e) => e.data.state)).toEqual(['SUCCESS']);
    const missing = await stack.get('/tasks/no-such-task/events');
    expect(missing.status).toBe(404);
  });
});

test('GET /health/live answers without asking Temporal; GET /health says Temporal is up', async () => {
  expect(await stack.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
  expect(await stack.get('/health')).toMatchObject({ status: 200, body: { status: 'ok', temporal: 'up' } });
});

test('the OpenAPI document describes every operations route', async () => {
  const { paths } = (await stack.get('/openapi.json')).body;
  for (const path of ['/tasks', '/tasks/stats', '/tasks/{id}/events', '/queues', '/workers', '/metrics', '/health/live']) expect(paths[path]?.get).toBeDefined();
  expect(Object.keys(paths['/tasks'].get.responses)).toEqual(expect.arrayContaining(['200', '400']));
});
