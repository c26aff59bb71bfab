/** A single task over REST, end to end against a real Temporal dev server. */
import { answerSchema, violations, type OpenApiDocument } from '../support/openapi-schema.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function submit(body: unknown) {
  const response = await stack.post('/tasks', body);
  expect(response.status).toBe(202);
  expect(response.body.state).toBe('PENDING');
  return response.body as { id: string };
}

async function resultOf(id: string, timeout = 15) {
  const response = await stack.get(`/tasks/${id}/result?timeout=${timeout}`);
  expect(response.status).toBe(200);
  return response.body;
}

test('add runs to SUCCESS with its result, and GET /tasks/{id} tells the whole story', async () => {
  const { id } = await submit({ task: 'add', args: [2, 2] });
  const done = await resultOf(id);
  expect(done).toMatchObject({ id, task: 'add', state: 'SUCCESS', result: 4, error: null, args: [2, 2], queue: 'celery', retries: 0 });
  const task = (await stack.get(`/tasks/${id}`)).body;
  expect(task.state).toBe('SUCCESS');
  expect(Date.parse(task.date_started)).toBeGreaterThanOrEqual(Date.parse(task.date_submitted));
  expect(Date.parse(task.date_done)).toBeGreaterThanOrEqual(Date.parse(task.date_started));
  expect(task.temporal_ui).toContain(`/namespaces/default/workflows/${id}/`);
});

test('/result of a finished task answers field for field what GET /tasks/{id} does; an unknown id is 404 on both', async () => {
  const sleeping = await submit({ task: 'sleep', args: [30] });
  const ids = [
    (await submit({ task: 'add', args: [2, 3] })).id,
    (await submit({ task: 'fail', args: ['boom'] })).id,
    (await submit({ task: 'add', args: [1, 1], options: { expires: new Date(Date.now() - 1000).toISOString() } })).id,
    sleeping.id,
  ];
  await waitForState(sleeping.id, 'STARTED');
  await stack.post(`/tasks/${sleeping.id}/revoke`, { terminate: true });
  const states = [];
  for (const id of ids) {
    const waited = await resultOf(id);
    states.push(waited.state);
    expect((await stack.get(`/tasks/${id}`)).body).toEqual(waited);
  }
  expect(states).toEqual(['SUCCESS', 'FAILURE', 'REVOKED', 'REVOKED']);
  const unknown = await stack.get('/tasks/does-not-exist/result?timeout=1');
  expect(unknown.status).toBe(404);
  expect(unknown.body.message).toContain('does-not-exist');
});

test('kwargs bind to named parameters, and echo receives both args and kwargs', async () => {
  const { id } = await submit({ task: 'add', args: [40], kwargs: { y: 2 } });
  expect((await resultOf(id)).result).toBe(42);
  const echo = await submit({ task: 'echo', args: [1, 'two'], kwargs: { three: 3 } });
  expect((await resultOf(echo.id)).result).toEqual([[1, 'two'], { three: 3 }]);
});

test('fail ends FAILURE with its error type, message and traceback', async () => {
  const { id } = await submit({ task: 'fail', args: ['boom'] });
  const done = await resultOf(id);
  expect(done.state).toBe('FAILURE');
  expect(done.error).toMatchObject({ type: 'ExpectedError', message: 'boom' });
  expect(done.error.traceback).toContain('ExpectedError');
  expect(done.retries).toBe(0);
});

test('countdown delays the start', async () => {
  const { id } = await submit({ task: 'add', args: [1, 1], options: { countdown: 2 } });
  const early = (await stack.get(`/tasks/${id}`)).body;
  expect(early.state).toBe('PENDING');
  expect(Date.parse(early.eta) - Date.parse(early.date_submitted)).toBeGreaterThanOrEqual(1900);
  const done = await resultOf(id);
  expect(done.state).toBe('SUCCESS');
  expect(Date.parse(done.date_started) - Date.parse(done.date_submitted)).toBeGreaterThanOrEqual(1900);
});

test('eta delays the start until that time', async () => {
  const eta = new Date(Date.now() + 1500).toISOString();
  const { id } = await submit({ task: 'identity', args: ['later'], options: { eta } });
  const done = await resultOf(id);
  expect(done).toMatchObject({ state: 'SUCCESS', result: 'later' });
  expect(Date.parse(done.date_started)).toBeGreaterThanOrEqual(Date.parse(eta) - 100);
});

test('an expires already passed ends REVOKED (expired) without running', async () => {
  const { id } = await submit({ task: 'add', args: [1, 1], options: { expires: new Date(Date.now() - 1000).toISOString() } });
  const done = await resultOf(id);
  expect(done).toMatchObject({ state: 'REVOKED', reason: 'expired', result: null, date_started: null });
});

test('a task that cannot start before expires (no worker on its queue) ends REVOKED (expired)', async () => {
  const { id } = await submit({ task: 'add', args: [1, 1], options: { queue: 'nobody-serves-this', expires: 1 } });
  expect((await stack.get(`/tasks/${id}`)).body.state).toBe('PENDING');
  const done = await resultOf(id);
  expect(done).toMatchObject({ state: 'REVOKED', reason: 'expired', queue: 'nobody-serves-this', date_started: null });
});

test('revoke of a running sleep ends REVOKED', async () => {
  const { id } = await submit({ task: 'sleep', args: [30] });
  await waitForState(id, 'STARTED');
  const revoked = await stack.post(`/tasks/${id}/revoke`, {});
  expect(revoked.status).toBe(200);
  const done = await resultOf(id, 10);
  expect(done).toMatchObject({ state: 'REVOKED', reason: 'revoked' });
});

test('revoke with terminate stops a running task at once', async () => {
  const { id } = await submit({ task: 'sleep', args: [30] });
  await waitForState(id, 'STARTED');
  const revoked = await stack.post(`/tasks/${id}/revoke`, { terminate: true, reason: 'test' });
  expect(revoked.body).toMatchObject({ state: 'REVOKED', reason: 'terminated' });
});

test('revoke of a task still waiting on its countdown means it never runs', async () => {
  const { id } = await submit({ task: 'add', args: [1, 1], options: { countdown: 30 } });
  await stack.post(`/tasks/${id}/revoke`, {});
  const done = await resultOf(id, 10);
  expect(done).toMatchObject({ state: 'REVOKED', date_started: null, result: null });
});

test('the same task_id submitted twice runs once', async () => {
  const taskId = `once-${Date.now()}`;
  await submit({ task: 'add', args: [1, 2], options: { task_id: taskId } });
  const again = await stack.post('/tasks', { task: 'add', args: [100, 200], options: { task_id: taskId } });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ id: taskId, args: [1, 2] });
  expect((await resultOf(taskId)).result).toBe(3);
  const third = await stack.post('/tasks', { task: 'add', args: [5, 5], options: { task_id: taskId } });
  expect(third.body).toMatchObject({ id: taskId, state: 'SUCCESS', result: 3 });
});

test('an unknown task name is 404, an unknown task id is 404', async () => {
  const unknownName = await stack.post('/tasks', { task: 'no_such_task', args: [] });
  expect(unknownName.status).toBe(404);
  expect(unknownName.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('no_such_task') });
  const unknownId = await stack.get('/tasks/does-not-exist');
  expect(unknownId.status).toBe(404);
  expect(unknownId.body.message).toContain('does-not-exist');
});

test.each([
  [{ args: [1, 2] }, 'task'],
  [{ task: 'add', args: 'nope' }, 'args'],
  [{ task: 'add', kwargs: [1] }, 'kwargs'],
  [{ task: 'add', options: { countdown: -1 } }, 'options.countdown'],
  [{ task: 'add', options: { countdown: 'soon' } }, 'options.countdown'],
  [{ task: 'add', options: { eta: 'tomorrow' } }, 'options.eta'],
  [{ task: 'add', options: { expires: 'never' } }, 'options.expires'],
  [{ task: 'add', options: { task_id: 'a b' } }, 'options.task_id'],
  [{ task: 'add', options: { retries_please: 3 } }, 'options.retries_please'],
  [{ task: 'add', args: [1, 2, 3] }, 'add() takes 2 positional arguments'],
  [{ task: 'add', kwargs: { z: 1 } }, "unexpected keyword argument 'z'"],
])('a malformed body %j is 400 naming %s', async (body, field) => {
  const response = await stack.post('/tasks', body);
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  expect(response.body.message).toContain(field);
});

test('a body that is not JSON is 400', async () => {
  const response = await stack.post('/tasks', '{"task": "add", ');
  expect(response.status).toBe(400);
  expect(response.body.statusCode).toBe(400);
});

test('a bad result timeout is 400', async () => {
  const response = await stack.get('/tasks/whatever/result?timeout=soon');
  expect(response.status).toBe(400);
  expect(response.body.message).toContain('timeout');
});

test('GET /task-types lists the registered tasks with their options', async () => {
  const response = await stack.get('/task-types');
  expect(response.status).toBe(200);
  expect(response.body).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'add', params: ['x', 'y'], queue: 'celery', max_retries: 3, default_retry_delay: 180 }),
      expect.objectContaining({ name: 'flaky', autoretry_for: ['FlakyError'], retry_backoff: 0.25, retry_jitter: false }),
    ]),
  );
  expect(response.body.map((t: { name: string }) => t.name)).toEqual(
    expect.arrayContaining(['add', 'mul', 'subtract', 'xsum', 'identity', 'echo', 'add_to_all', 'fail', 'sleep', 'flaky', 'progress']),
  );
});

test('/health answers ok while Temporal is up, and /openapi.json documents every route', async () => {
  expect((await stack.get('/health')).body).toEqual({ status: 'ok', temporal: 'up' });
  const openapi = (await stack.get('/openapi.json')).body;
  expect(Object.keys(openapi.paths)).toEqual(
    expect.arrayContaining(['/tasks', '/tasks/{id}', '/tasks/{id}/result', '/tasks/{id}/revoke', '/task-types', '/health']),
  );
  expect(openapi.components.schemas.Signature.properties.options).toBeDefined();
  const docs = await fetch(`${stack.api.url}/docs`);
  expect(docs.status).toBe(200);
});

test('the answers of POST /tasks, GET /tasks/{id}, /result, /revoke, GET /tasks and /tasks/stats validate against /openapi.json', async () => {
  const document = (await stack.get('/openapi.json')).body as OpenApiDocument;
  const wrong: string[] = [];
  const check = (method: string, path: string, answer: { status: number; body: unknown }) => {
    wrong.push(...violations(document, answerSchema(document, method, path, answer.status), answer.body, `${method} ${path}`));
  };
  const submitted = await stack.post('/tasks', { chain: [{ task: 'add', args: [1, 1] }, { task: 'mul', args: [3] }] });
  check('post', '/tasks', submitted);
  check('get', '/tasks/{id}/result', await stack.get(`/tasks/${submitted.body.id}/result?timeout=20`));
  check('get', '/tasks/{id}', await stack.get(`/tasks/${submitted.body.id}`));
  const failed = await stack.post('/tasks', { task: 'fail', args: ['boom'] });
  check('get', '/tasks/{id}/result', await stack.get(`/tasks/${failed.body.id}/result?timeout=20`));
  const sleeping = await stack.post('/tasks', { task: 'sleep', args: [30], options: { countdown: 60 } });
  check('post', '/tasks/{id}/revoke', await stack.post(`/tasks/${sleeping.body.id}/revoke`, { terminate: true, reason: 'test' }));
  check('get', '/tasks', await stack.get('/tasks?limit=5'));
  check('get', '/tasks/stats', await stack.get('/tasks/stats'));
  check('get', '/task-types', await stack.get('/task-types'));
  check('get', '/tasks/{id}', await stack.get('/tasks/does-not-exist'));
  expect(wrong).toEqual([]);
});

async function waitForState(id: string, state: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = (await stack.get(`/tasks/${id}`)).body;
    if (task.state === state) return;
    if (Date.now() > deadline) throw new Error(`task ${id} is ${task.state}, never reached ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('arguments and a result over 2 MB that gzip well run: they are stored compressed', async () => {
  const text = 'x'.repeat(2.5 * 1024 * 1024);
  const response = await stack.post('/tasks', { task: 'identity', args: [text] });
  expect(response.status).toBe(202);
  const done = (await stack.get(`/tasks/${response.body.id}/result?timeout=30`)).body;
  expect(done.state).toBe('SUCCESS');
  expect(done.result).toBe(text);
});
