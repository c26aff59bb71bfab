/**
 * Generated bad input (issue 13): every route of the OpenAPI document, driven with bodies, path
 * parameters, query strings and headers that fast-check derives from the document, plus hostile
 * cases (deep nesting, huge arrays, odd Unicode, wrong types, duplicated keys, NaN/Infinity as
 * strings, `__proto__` keys). No answer may be a 5xx or take longer than a request's deadline,
 * no refused request may leave a task behind, and the API must still serve afterwards.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { violations, type OpenApiDocument, type Schema } from '../support/openapi-schema.js';
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
let document: OpenApiDocument;
let operations: Operation[];
let sent = 0;
const accepted = new Set<string>();

beforeAll(async () => {
  stack = await startStack();
  document = (await stack.get('/openapi.json')).body as OpenApiDocument;
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]: [string, { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }]) => ({
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

/** A schema with its `$ref`s and `allOf`s resolved, one level deep. */
function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop()!]);
  return schema.allOf ? { ...schema, ...Object.assign({}, ...schema.allOf.map(resolve)), allOf: undefined } : schema;
}

/** Values that break what `schema` documents, each by one constraint: a wrong type, past a bound, off a pattern or an enum, an unknown field. */
function breaking(schema: Schema): unknown[] {
  const s = resolve(schema);
  const tries: unknown[] = [...(s.anyOf ?? s.oneOf ?? []).flatMap(breaking)];
  if (s.enum) tries.push('__not_listed__');
  if (s.type === 'integer') tries.push(1.5);
  if (s.type === 'integer' || s.type === 'number') tries.push('12', s.minimum === undefined ? undefined : s.exclusiveMinimum ? s.minimum : s.minimum - 1, s.maximum === undefined ? undefined : s.maximum + 1);
  if (s.type === 'string') tries.push(42, '', ' ', 'a b', 'x\u0001', '2027-02-30T25:61:00Z', s.maxLength === undefined ? undefined : 'a'.repeat(s.maxLength + 1));
  if (s.type === 'boolean') tries.push('yes');
  if (s.type === 'array') tries.push('x', {});
  if (s.type === 'object') tries.push('x', []);
  if (s.type === 'object' && s.additionalProperties === false) tries.push({ no_such_field: 1 });
  return tries.filter((value) => value !== undefined && violations(document, schema, value).length > 0);
}

/** Values on the documented bounds, which must be taken. */
function bounds(schema: Schema): number[] {
  const s = resolve(schema);
  return [...(s.anyOf ?? []).flatMap(bounds), ...(s.exclusiveMinimum ? [] : [s.minimum]), ...(s.exclusiveMaximum ? [] : [s.maximum])].filter((n) => typeof n === 'number');
}

/** Each documented field of an object schema (`at` its path in the body). */
function fields(schema: Schema, at: string): Array<{ path: string; schema: Schema }> {
  return Object.entries(resolve(schema).properties ?? {}).map(([name, inner]) => ({ path: at ? `${at}.${name}` : name, schema: inner as Schema }));
}

const setIn = (body: Record<string, any>, path: string, value: unknown): Record<string, any> => {
  const [head, ...rest] = path.split('.');
  return rest.length ? { ...body, [head]: setIn(body[head] ?? {}, rest.join('.'), value) } : { ...body, [head]: value };
};

test('every constraint /openapi.json documents for POST /tasks and POST /schedules is enforced, with a 400 naming the field; its bounds are taken', async () => {
  const schemas = document.components.schemas;
  const routes = [
    {
      path: '/tasks', base: () => ({ task: 'identity', args: [1] }), accepted: 202,
      fields: [...fields(schemas.Signature, '').filter((f) => f.path !== 'options'), ...fields(schemas.CallOptionsDto, 'options').filter((f) => !/link/.test(f.path))],
    },
    {
      path: '/schedules', base: () => ({ id: `bounds-${randomUUID().slice(0, 8)}`, task: 'add', args: [1, 1], schedule: 'every 1h' }), accepted: 201,
      fields: [...fields(schemas.CreateScheduleDto, '').filter((f) => !['options', 'canvas', 'schedule'].includes(f.path)), ...fields(schemas.ScheduleCallOptionsDto, 'options')],
    },
  ];
  const wrong: string[] = [];
  let checked = 0;
  for (const route of routes) {
    expect(route.fields.length).toBeGreaterThan(5);
    for (const field of route.fields) {
      for (const value of breaking(field.schema)) {
        const response = await stack.post(route.path, setIn(route.base(), field.path, value));
        checked++;
        if (response.status !== 400 || !String(response.body.message).includes(field.path)) {
          wrong.push(`${route.path} ${field.path}=${JSON.stringify(value)}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        }
      }
      for (const value of bounds(field.schema)) {
        const body = setIn(route.base(), field.path, value);
        const response = await stack.post(route.path, body);
        checked++;
        if (response.status !== route.accepted) wrong.push(`${route.path} ${field.path}=${value} (a documented bound): ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        if (route.path === '/schedules' && response.status === 201) await fetch(`${stack.api.url}/schedules/${body.id}`, { method: 'DELETE' });
        else if (response.status < 300) accepted.add(response.body.id);
      }
    }
  }
  console.log(`documented constraints: ${checked} requests`);
  expect(wrong).toEqual([]);
}, 300_000);
