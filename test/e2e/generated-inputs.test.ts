/**
 * Generated bad input (issue 13): every route of the OpenAPI document, driven with bodies, path
 * parameters, query strings and headers that fast-check derives from the document, plus hostile
 * cases (deep nesting, huge arrays, odd Unicode, wrong types, duplicated keys, NaN/Infinity as
 * strings, `__proto__` keys). No answer may be a 5xx or take longer than a request's deadline,
 * no refused request may leave a task behind, and the API must still serve afterwards.
 */
import fc from 'fast-check';
import { startStack, type Stack } from '../support/stack.js';

/** Long enough for any real answer here; a request still open by then counts as a hang. */
const DEADLINE_MS = 15_000;
const RUNS_PER_ROUTE = 60;

interface Operation {
  method: string;
  path: string;
  query: string[];
  hasBody: boolean;
}

let stack: Stack;
let operations: Operation[];
let sent = 0;
const accepted = new Set<string>();

beforeAll(async () => {
  stack = await startStack();
  const document = (await stack.get('/openapi.json')).body as {
    paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      hasBody: op.requestBody !== undefined || ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()),
    })),
  );
}, 60_000);

afterAll(async () => {
  console.log(`generated inputs: ${sent} requests over ${operations?.length ?? 0} routes, none answered 5xx`);
  await stack?.stop();
});

/** Text a client may put anywhere: odd Unicode, numbers as words, escapes, lone surrogates. */
const oddText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '-Infinity', '-1', '0', '1e400', '9007199254740993', 'null', 'true', '[]', '{}',
    '__proto__', 'constructor', '\u0000', '\ud800', '%', '../..', 'a'.repeat(5000), '2027-02-30T25:61:00Z'),
);

/** Every UTF-8 byte percent-encoded (a lone surrogate becomes U+FFFD, as a client would send it). */
const percentEncoded = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** A path or query value as it travels in a URL: encoded text, or raw percent-escapes that are not UTF-8. */
const urlValue = fc.oneof(
  oddText.map(percentEncoded),
  fc.constantFrom('%1C%F2%94%8D%B6', '%1C%C3%9A%C3%97%C3%93', '%ZZ', '%', '%00', '%FF%FE'),
);

/** JSON text nested `depth` levels deep around `leaf`: built as text, since JSON.stringify itself recurses. */
const nested = (depth: number, open: string, leaf: string, close: string) => `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;

/** Bodies no client should send, and near-misses of valid ones. */
const hostileBody = fc.oneof(
  fc.constantFrom<unknown>(
    { task: 'identity', args: [Array.from({ length: 200_000 }, (_, i) => i)] },
    { task: 'add', args: [2, 2], __proto__: { polluted: true } },
    JSON.parse('{"__proto__": {"polluted": true}, "task": "add", "args": [1, 2]}'),
    { task: 'add', args: ['NaN', 'Infinity'] },
    { task: 'add', args: [9007199254740993, 1] },
    { task: 'add', args: [1, 2], options: { countdown: 'Infinity', eta: 'NaN', expires: -1e308 } },
    { chord: { header: 'not a list', body: null } },
    { group: [null, 1, 'x', []] },
    { task: '\ud800', args: {} },
  ),
  // Valid signatures with one field replaced by a generated value of any type.
  fc.record({
    field: fc.constantFrom('task', 'args', 'kwargs', 'options', 'immutable', 'subtask_type', 'chain', 'group', 'chord', 'map', 'chunks'),
    value: fc.jsonValue({ maxDepth: 4 }),
  }).map(({ field, value }) => ({ task: 'add', args: [1, 2], [field]: value })),
  fc.record({
    option: fc.constantFrom('task_id', 'countdown', 'eta', 'expires', 'queue', 'priority', 'max_retries', 'time_limit',
      'soft_time_limit', 'link', 'link_error', 'ignore_result', 'retry', 'headers'),
    value: fc.jsonValue({ maxDepth: 3 }),
  }).map(({ option, value }) => ({ task: 'identity', args: [1], options: { [option]: value } })),
  fc.jsonValue({ maxDepth: 6 }),
);

/** What travels as the body: JSON of a value, or raw text that is not quite JSON. */
const rawBody = fc.oneof(
  hostileBody.map((value) => JSON.stringify(value) ?? 'null'),
  fc.constantFrom(
    nested(5000, '[', '1', ']'),
    `{"task": "identity", "args": [${nested(4500, '[', '1', ']')}]}`,
    nested(2000, '{"chain": [', '{"task": "identity", "args": [1]}', ']}'),
    `{"task": "identity", "args": [1], "kwargs": {"x": ${nested(3000, '{"a": ', '1', '}')}}}`,
    '{"task": "add", "task": "mul", "args": [1, 2]}', '{"task": "add", "args": [NaN, Infinity]}', '{', '',
    '{"task": "add", "args": [1, 2]}garbage', '\ufeff{"task": "identity"}', '[1, 2', '"\\ud800"', '1'.repeat(10_000)),
  oddText,
);

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', undefined);

function requestArbitrary(op: Operation) {
  return fc.record({
    path: fc.array(urlValue, { minLength: 1, maxLength: 1 }).map(([value]) => op.path.replace(/\{[^}]+\}/g, value || 'x')),
    query: fc.array(fc.tuple(fc.constantFrom(...op.query, 'unknown', ''), urlValue), { maxLength: 4 }),
    body: op.hasBody ? fc.option(rawBody, { nil: undefined }) : fc.constant(undefined),
    contentType,
  });
}

async function send(op: Operation, req: { path: string; query: Array<[string, string]>; body?: string; contentType?: string }) {
  const search = req.query.map(([name, value]) => `${encodeURIComponent(name)}=${value}`).join('&');
  const response = await fetch(`${stack.api.url}${req.path}${search ? `?${search}` : ''}`, {
    method: op.method,
    headers: req.contentType ? { 'content-type': req.contentType } : {},
    body: req.body,
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  const text = await response.text();
  sent++;
  if (response.status >= 500) throw new Error(`${op.method} ${req.path}?${search} answered ${response.status}: ${text.slice(0, 300)}`);
  if (op.method === 'POST' && op.path === '/tasks' && response.status < 300) accepted.add(JSON.parse(text).id);
}

test('no generated request gets a 5xx or hangs, on any route', async () => {
  for (const op of operations) {
    await fc.assert(fc.asyncProperty(requestArbitrary(op), (req) => send(op, req)), { numRuns: RUNS_PER_ROUTE, includeErrorInReport: true });
  }
  expect(sent).toBeGreaterThan(operations.length * RUNS_PER_ROUTE - 1);
}, 600_000);

test('a refused request leaves no task behind, and the API still serves', async () => {
  const started: string[] = [];
  for await (const workflow of stack.temporal.workflow.list({ query: `TaskQueue = '${stack.config.workflowQueue}'` })) {
    started.push(workflow.workflowId);
  }
  // Every workflow on this stack's queue is a task the API accepted (partitions have ids of their own).
  expect(started.filter((id) => !accepted.has(id) && !id.includes('~'))).toEqual([]);
  expect((await stack.get('/health')).status).toBe(200);
  const submitted = await stack.post('/tasks', { task: 'add', args: [2, 2] });
  expect((await stack.get(`/tasks/${submitted.body.id}/result?timeout=20`)).body).toMatchObject({ state: 'SUCCESS', result: 4 });
}, 60_000);
