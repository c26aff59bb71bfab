/**
 * Inputs at the edge of what the API reads, end to end against a real dev server: no value is
 * changed without a word, and no input gets a 5xx. Integers past 2^53 and JSON nested too deep
 * are refused with a 400 naming the path; so is a canvas nested too deep; every route answers
 * repeated, empty and odd query parameters with a 400 or an answer.
 */
import { MAX_JSON_DEPTH } from '../../src/api/json-limits.js';
import { MAX_CANVAS_DEPTH } from '../../src/canvas/parse.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const nested = (open: string, inner: string, close: string, depth: number) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

async function resultOf(id: string, timeout = 30) {
  const response = await stack.get(`/tasks/${id}/result?timeout=${timeout}`);
  expect(response.status).toBe(200);
  return response.body;
}

describe('integers beyond 2^53', () => {
  const refusal = (path: string) => ({
    statusCode: 400,
    error: 'Bad Request',
    message: `${path}: integer beyond 2^53 cannot be represented exactly; send it as a string`,
  });

  test('are refused with the path, not rounded', async () => {
    const response = await stack.post('/tasks', '{"task":"identity","args":[9007199254740993]}');
    expect(response).toEqual({ status: 400, body: refusal('args[0]') });
  });

  test('are refused wherever they sit in any body the API reads', async () => {
    const big = '-12345678901234567890';
    const bodies: Array<[string, string, string]> = [
      ['/tasks', `{"task":"echo","kwargs":{"id":{"list":[1,${big}]}}}`, 'kwargs.id.list[1]'],
      ['/tasks', `{"task":"add","args":[1,2],"options":{"countdown":${big}}}`, 'options.countdown'],
      ['/tasks', `{"chain":[{"task":"add","args":[1,1]},{"task":"mul","args":[2],"options":{"link":{"task":"identity","args":[${big}]}}}]}`, 'chain[1].options.link.args[0]'],
      ['/tasks', `{"task":"celery.chord","kwargs":{"header":[{"task":"add","args":[1,1]}],"body":{"task":"xsum","args":[[${big}]]}},"subtask_type":"chord"}`, 'kwargs.body.args[0][0]'],
      ['/schedules', `{"id":"big-int","task":"add","args":[${big},1],"schedule":60}`, 'args[0]'],
      ['/tasks/any-id/revoke', `{"terminate":${big}}`, 'terminate'],
    ];
    for (const [path, body, at] of bodies) expect(await stack.post(path, body)).toEqual({ status: 400, body: refusal(at) });
  });

  test('floats past a double\'s range are refused too', async () => {
    expect((await stack.post('/tasks', '{"task":"identity","args":[[1.5,-1e400]]}')).body.message).toBe('args[0][1]: number beyond the range of a 64-bit float');
  });

  test('the largest exact integers and floats within a double\'s range pass unchanged', async () => {
    const response = await stack.post('/tasks', '{"task":"identity","args":[[9007199254740991,-9007199254740991,1.5e300,12345678901234567890.5,1e-400]]}');
    expect(response.status).toBe(202);
    expect((await resultOf(response.body.id)).result).toEqual([9007199254740991, -9007199254740991, 1.5e300, 12345678901234567890.5, 0]);
  });
});

describe('nesting', () => {
  test('an argument nested 4,500 arrays deep is refused with the limit and the path', async () => {
    const response = await stack.post('/tasks', `{"task":"identity","args":[${nested('[', '', ']', 4500)}]}`);
    expect(response).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: `args[0][0][0][0][0][0][0]…: nested deeper than ${MAX_JSON_DEPTH} levels` },
    });
  });

  test('a canvas of chains nested 2,000 deep is refused with the limit and the path', async () => {
    const response = await stack.post('/tasks', nested('{"chain":[', '{"task":"identity","args":[1]}', ']}', 2000));
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(`chain[0].chain[0].chain[0].chain[0]…: nested deeper than ${MAX_JSON_DEPTH} levels`);
  });

  test('a canvas nesting signatures deeper than the canvas limit is refused with the path', async () => {
    const chains = nested('{"chain":[', '{"task":"identity","args":[1]}', ']}', MAX_CANVAS_DEPTH);
    const response = await stack.post('/tasks', chains);
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(`chain[0].chain[0].chain[0].chain[0].chain[0].chain[0].chain[0].chain[0]… nests signatures deeper than ${MAX_CANVAS_DEPTH} levels`);
    const callbacks = nested('{"task":"identity","args":[1],"options":{"link":', '{"task":"identity"}', '}}', MAX_CANVAS_DEPTH);
    expect((await stack.post('/tasks', callbacks)).body.message).toContain(`options.link[0].options.link[0]… nests signatures deeper than ${MAX_CANVAS_DEPTH} levels`);
    const schedule = await stack.post('/schedules', `{"id":"too-deep","schedule":60,"paused":true,"canvas":${chains}}`);
    expect(schedule.status).toBe(400);
    expect(schedule.body.message).toContain(`canvas.chain[0].chain[0]`);
    expect(schedule.body.message).toContain(`nests signatures deeper than ${MAX_CANVAS_DEPTH} levels`);
  });

  test('the deepest argument and canvas allowed run to the end', async () => {
    const deepest = nested('[', '"core"', ']', MAX_JSON_DEPTH - 2);
    const task = await stack.post('/tasks', `{"task":"identity","args":[${deepest}]}`);
    expect(task.status).toBe(202);
    expect((await resultOf(task.body.id)).result).toEqual(JSON.parse(deepest));

    // Groups of two and chains alternate, so that nothing flattens: every level runs as written.
    let canvas: unknown = { task: 'add', args: [1, 1] };
    let expected: unknown = 2;
    for (let depth = 2; depth <= MAX_CANVAS_DEPTH; depth++) {
      if (depth % 2) canvas = { chain: [canvas, { task: 'identity' }] };
      else [canvas, expected] = [{ group: [canvas, { task: 'identity', args: [0] }] }, [expected, 0]];
    }
    const started = await stack.post('/tasks', canvas);
    expect(started.status).toBe(202);
    const done = await resultOf(started.body.id, 90);
    expect(done).toMatchObject({ state: 'SUCCESS', result: expected });
    expect((await stack.get(`/tasks/${started.body.id}`)).status).toBe(200);
  }, 120_000);
});

describe('query parameters, repeated, empty or odd', () => {
  const ODD = ['%1C%F2%94%8D%B6', '%1C%C3%9A%C3%97%C3%93', '', '%FF', 'a,,b', '1e400', '-1', '9007199254740993', '%00'];
  const queries = (name: string) => [
    ODD.map((value) => `${name}=${value}`).join('&'),
    ...ODD.map((value) => `${name}=${value}`),
    `${name}[a]=1`,
  ];

  test('GET /queues and GET /workers with the parameters of the report answer 400', async () => {
    for (const path of ['/queues', '/workers']) {
      const response = await stack.get(`${path}?queue=%1C%F2%94%8D%B6&queue=%1C%C3%9A%C3%97%C3%93&queue=`);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/^queue may only contain letters, digits and _ \. : @ -/);
    }
    expect((await stack.get('/queues?queue=celery&queue=celery,celery')).body.map((q: { name: string }) => q.name)).toEqual(['celery']);
  });

  test('every route of the OpenAPI document gets a 4xx or an answer, never a 5xx', async () => {
    const document = (await stack.get('/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    };
    const failures: string[] = [];
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const names = [...(operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), 'undeclared'];
        const at = (id: string) => template.replace(/\{\w+\}/g, id || 'x');
        // Each odd path parameter once, each odd query on one odd path.
        const requests = [...new Set([...ODD.map((id) => `${at(id)}?${names[0]}=`), ...names.flatMap(queries).map((query) => `${at(ODD[0])}?${query}`)])];
        for (const path of requests) {
          const response = await send(method, path);
          if (typeof response.status !== 'number' || response.status >= 500) failures.push(`${method.toUpperCase()} ${path}: ${response.status} ${response.text}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

/** One request, with a JSON body for the methods that take one; an event stream is not read. */
async function send(method: string, path: string): Promise<{ status: number | string; text: string }> {
  const hasBody = method !== 'get' && method !== 'delete';
  try {
    const response = await fetch(`${stack.api.url}${path}`, {
      method: method.toUpperCase(),
      headers: hasBody ? { 'content-type': 'application/json' } : {},
      body: hasBody ? '{}' : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const streaming = response.headers.get('content-type')?.startsWith('text/event-stream');
    const text = streaming ? '' : await response.text();
    if (streaming) await response.body?.cancel();
    return { status: response.status, text };
  } catch (err) {
    return { status: 'no answer', text: (err as Error).message };
  }
}
