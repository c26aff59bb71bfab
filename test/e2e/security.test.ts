/** API keys, scopes and rate limits over REST, against the suite's dev server. */
import { registry } from '../../activities/index.js';
import { ApiClient } from '../../src/cli/api-client.js';
import { startApi, type ApiServer } from '../../src/api/server.js';
import { parseApiKeys } from '../../src/api/security/api-keys.js';
import { startStack, type Stack } from '../support/stack.js';

const KEYS = {
  read: 'reader-secret-0123456789',
  submit: 'submitter-secret-0123456789',
  admin: 'admin-secret-0123456789',
};
const CELERITY_API_KEYS = `reader:read:${KEYS.read},ci:submit:${KEYS.submit},ops:admin:${KEYS.admin}`;

let stack: Stack;
let api: ApiServer;

beforeAll(async () => {
  stack = await startStack();
  api = await startApi({ ...stack.config, apiKeys: parseApiKeys(CELERITY_API_KEYS) }, registry, true);
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

async function call(server: ApiServer, method: string, path: string, options: { key?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Prometheus text, for /metrics.
  }
  return { status: response.status, headers: response.headers, body };
}

type Scope = keyof typeof KEYS;
const CODEC_BODY = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('1').toString('base64') }] };

/** One route of each family, the scope it needs, and what it answers once let in. */
const ROUTES: Array<{ method: string; path: string; body?: unknown; scope: Scope; ok: number }> = [
  { method: 'POST', path: '/tasks', body: { task: 'add', args: [1, 2] }, scope: 'submit', ok: 202 },
  { method: 'GET', path: '/tasks?limit=1', scope: 'read', ok: 200 },
  { method: 'GET', path: '/tasks/stats', scope: 'read', ok: 200 },
  { method: 'GET', path: '/tasks/no-such-task', scope: 'read', ok: 404 },
  { method: 'POST', path: '/tasks/no-such-task/revoke', body: {}, scope: 'admin', ok: 404 },
  { method: 'GET', path: '/task-types', scope: 'read', ok: 200 },
  { method: 'GET', path: '/schedules', scope: 'read', ok: 200 },
  { method: 'POST', path: '/schedules', body: { id: 'security-test' }, scope: 'admin', ok: 400 },
  { method: 'DELETE', path: '/schedules/no-such-schedule', scope: 'admin', ok: 404 },
  { method: 'GET', path: '/workers', scope: 'read', ok: 200 },
  { method: 'GET', path: '/queues', scope: 'read', ok: 200 },
  { method: 'GET', path: '/metrics', scope: 'read', ok: 200 },
  { method: 'POST', path: '/codec/decode', body: CODEC_BODY, scope: 'read', ok: 200 },
  { method: 'POST', path: '/codec/encode', body: CODEC_BODY, scope: 'read', ok: 200 },
];
const SCOPES: Scope[] = ['read', 'submit', 'admin'];

describe('API keys', () => {
  it.each(ROUTES)('$method $path: 401 without a valid key, 403 below $scope, let in from $scope up', async (route) => {
    const none = await call(api, route.method, route.path, { body: route.body });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'an API key is required: send Authorization: Bearer <key>' });
    const wrong = await call(api, route.method, route.path, { body: route.body, key: `${KEYS.admin}-not` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('the API key is not valid');
    for (const scope of SCOPES) {
      const answer = await call(api, route.method, route.path, { body: route.body, key: KEYS[scope] });
      if (SCOPES.indexOf(scope) < SCOPES.indexOf(route.scope)) {
        expect({ scope, status: answer.status, message: answer.body.message }).toEqual({
          scope,
          status: 403,
          message: `the API key "${scope === 'read' ? 'reader' : 'ci'}" has scope ${scope}; this route needs ${route.scope}`,
        });
      } else {
        expect({ scope, status: answer.status }).toEqual({ scope, status: route.ok });
      }
    }
  });

  it('keeps health probes, the docs and the OpenAPI document open', async () => {
    for (const path of ['/health/live', '/health', '/docs', '/openapi.json']) expect([path, (await call(api, 'GET', path)).status]).toEqual([path, 200]);
  });

  it('lets a submit key send a task and read it back, and an admin key revoke one', async () => {
    const sent = await call(api, 'POST', '/tasks', { key: KEYS.submit, body: { task: 'add', args: [20, 22] } });
    expect(sent.status).toBe(202);
    const done = await call(api, 'GET', `/tasks/${sent.body.id}/result?timeout=30`, { key: KEYS.submit });
    expect(done.body).toMatchObject({ state: 'SUCCESS', result: 42 });
    const waiting = await call(api, 'POST', '/tasks', { key: KEYS.submit, body: { task: 'add', args: [1, 1], options: { countdown: 600 } } });
    expect((await call(api, 'POST', `/tasks/${waiting.body.id}/revoke`, { key: KEYS.submit, body: {} })).status).toBe(403);
    expect((await call(api, 'POST', `/tasks/${waiting.body.id}/revoke`, { key: KEYS.admin, body: { terminate: true } })).status).toBe(200);
  });

  it('lets the celerity command send its key from CELERITY_API_KEY', async () => {
    expect(await new ApiClient(api.url, KEYS.read).get('/task-types')).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'add' })]));
    await expect(new ApiClient(api.url, undefined).get('/task-types')).rejects.toThrow('an API key is required: send Authorization: Bearer <key> (HTTP 401)');
  });

  it('lets a browser keep a read key in a cookie for the codec routes only (the Temporal Web UI sends cookies)', async () => {
    const form = await fetch(`${api.url}/codec/session`);
    expect([form.status, form.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const save = (key: string) =>
      fetch(`${api.url}/codec/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ key }) });
    expect((await save(`${KEYS.read}x`)).status).toBe(401);
    const saved = await save(KEYS.read);
    expect(saved.status).toBe(200);
    const cookie = saved.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^celerity_codec_key=[^;]+; Max-Age=28800; Path=\/codec; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(await saved.text()).not.toContain(KEYS.read);
    const withCookie = (path: string, value = cookie.split(';')[0]) =>
      fetch(`${api.url}${path}`, { method: 'POST', headers: { cookie: value, 'content-type': 'application/json' }, body: JSON.stringify(CODEC_BODY) });
    expect((await withCookie('/codec/decode')).status).toBe(200);
    expect((await withCookie('/codec/decode', `celerity_codec_key=${KEYS.read}x`)).status).toBe(401);
    expect((await withCookie('/tasks')).status).toBe(401);
  });

  it('leaves the API open when no key is configured', async () => {
    expect((await stack.get('/codec/session')).status).toBe(404);
    expect((await stack.get('/task-types')).status).toBe(200);
    expect((await stack.post('/codec/decode', CODEC_BODY)).status).toBe(200);
  });

  it('declares the bearer scheme and the 401/403/429 answers in the OpenAPI document', async () => {
    const { body: document } = await call(api, 'GET', '/openapi.json');
    expect(document.components.securitySchemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, method] of [['/tasks', 'post'], ['/tasks/{id}', 'get'], ['/schedules', 'post'], ['/codec/decode', 'post'], ['/metrics', 'get']]) {
      const operation = document.paths[path][method];
      expect([path, operation.security]).toEqual([path, [{ 'api-key': [] }]]);
      expect([path, Object.keys(operation.responses)]).toEqual([path, expect.arrayContaining(['401', '403', '429'])]);
    }
    expect(document.paths['/health/live'].get.security).toBeUndefined();
  });
});

describe('rate limits', () => {
  let limited: ApiServer;

  beforeAll(async () => {
    limited = await startApi(
      { ...stack.config, apiKeys: parseApiKeys(CELERITY_API_KEYS), rateLimit: { limit: 3, ttlMs: 60_000 } },
      registry,
      true,
    );
  });

  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 with Retry-After past the limit, per key, across routes; health probes are never limited', async () => {
    const statuses = [];
    for (const path of ['/task-types', '/queues', '/task-types']) statuses.push((await call(limited, 'GET', path, { key: KEYS.read })).status);
    expect(statuses).toEqual([200, 200, 200]);
    const over = await call(limited, 'GET', '/workers', { key: KEYS.read });
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(over.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(over.body.message).toContain('API key "reader" sent more than 3 requests in 60 s');
    expect(over.body.message).not.toContain(KEYS.read);
    // Another key has its own count.
    expect((await call(limited, 'GET', '/task-types', { key: KEYS.admin })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await call(limited, 'GET', '/health/live')).status).toBe(200);
  });
});
