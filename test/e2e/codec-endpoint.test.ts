/**
 * The API's codec server for the Temporal Web UI (POST /codec/decode and /codec/encode, in
 * Temporal's codec-server protocol) against a real dev server: a payload Celerity stored
 * gzipped comes back as the JSON it holds, others pass through, a bad body is a 400 naming the
 * field, and the browser's CORS preflight is answered for the UI's origin.
 */
import { gzipSync } from 'node:zlib';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { DECODED_LIMIT_BYTES } from '../../src/api/codec/codec.service.js';
import { COMPRESS_ABOVE, gzipCodec } from '../../src/temporal/codec.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(() => stack?.stop());

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const text = (base64: string) => Buffer.from(base64, 'base64').toString();

/** A Payload in proto3 JSON, as the Temporal UI reads it from the server and posts it. */
const toJson = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, b64(value!)])),
  ...(payload.data?.length ? { data: b64(payload.data) } : {}),
});

const UI_ORIGIN = 'http://127.0.0.1:8233';
const codec = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.api.url}/codec/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI_ORIGIN, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, headers: response.headers, body: await response.json() }));

const members = Array.from({ length: 5_000 }, (_, i) => ({ id: `root~${i}`, task: 'add', args: [i, i] }));

describe('POST /codec/decode', () => {
  test('turns a payload stored gzipped back into the JSON payload it holds', async () => {
    const original = defaultPayloadConverter.toPayload(members);
    expect(original.data!.length).toBeGreaterThan(COMPRESS_ABOVE);
    const [stored] = await gzipCodec.encode([original]);
    expect(Buffer.from(stored.metadata!.encoding!).toString()).toBe('binary/gzip');

    const response = await codec('decode', { payloads: [toJson(stored)] });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.body.payloads).toEqual([toJson(original)]);
    const [payload] = response.body.payloads;
    expect(text(payload.metadata.encoding)).toBe('json/plain');
    expect(JSON.parse(text(payload.data))).toEqual(members);
  });

  test('decodes the gzipped input of a real task, as the Temporal UI reads it from its history', async () => {
    const big = 'x'.repeat(100_000) + Array.from({ length: 2_000 }, (_, i) => i).join(',');
    const sent = await stack.post('/tasks', { task: 'echo', args: [big] });
    expect(sent.status).toBe(202);
    try {
      const history = await stack.temporal.workflow.getHandle(sent.body.id).fetchHistory();
      const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
      expect(input.map((p) => Buffer.from(p.metadata!.encoding!).toString())).toContain('binary/gzip');

      const response = await codec('decode', { payloads: input.map((p) => toJson(p as Payload)) });
      expect(response.status).toBe(200);
      const decoded = response.body.payloads.map((p: { metadata: { encoding: string }; data: string }) => {
        expect(text(p.metadata.encoding)).toBe('json/plain');
        return JSON.parse(text(p.data));
      });
      expect(JSON.stringify(decoded)).toContain(big);
    } finally {
      await stack.post(`/tasks/${sent.body.id}/revoke`, { terminate: true });
    }
  });

  test('gives small and empty payloads back unchanged', async () => {
    const small = toJson(defaultPayloadConverter.toPayload({ task: 'add', args: [2, 2] }));
    const empty = toJson(defaultPayloadConverter.toPayload(undefined));
    expect(empty).not.toHaveProperty('data');
    for (const route of ['decode', 'encode']) {
      const response = await codec(route, { payloads: [small, empty] });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ payloads: [small, empty] });
    }
  });

  test('refuses a bad body with a 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'payloads must be an array'],
      [{ payloads: [{ metadata: { encoding: b64('json/plain') }, data: 'not base64!' }] }, 'payloads.0.data must be base64'],
      [{ payloads: [{ data: b64('1') }, { metadata: { encoding: 42 } }] }, 'payloads.1.metadata must be an object of base64 strings'],
      [{ payloads: [{ metadata: { encoding: b64('binary/gzip') }, data: b64('not gzip') }] }, 'payloads.0 is binary/gzip but its data does not gunzip'],
    ];
    for (const [body, message] of cases) {
      const response = await codec('decode', body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.body.message).toContain(message);
    }
    expect((await codec('encode', { payloads: 'x' })).body.message).toContain('payloads must be an array');
  });

  test('refuses a payload that gunzips to more than it will decode, with a 413', async () => {
    const bomb = gzipSync(Buffer.alloc(DECODED_LIMIT_BYTES + 1));
    const response = await codec('decode', { payloads: [{ metadata: { encoding: b64('binary/gzip') }, data: b64(bomb) }] });
    expect(response.status).toBe(413);
    expect(response.body.message).toContain('payloads.0 gunzips past 128 MiB');
  });
});

describe('POST /codec/encode', () => {
  test('stores a large payload gzipped, as Celerity\'s clients do', async () => {
    const original = defaultPayloadConverter.toPayload(members);
    const response = await codec('encode', { payloads: [toJson(original)] });
    expect(response.status).toBe(200);
    const [encoded] = response.body.payloads;
    expect(text(encoded.metadata.encoding)).toBe('binary/gzip');
    const [decoded] = await gzipCodec.decode([{ metadata: { encoding: Buffer.from('binary/gzip') }, data: Buffer.from(encoded.data, 'base64') }]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(members);
  });
});

describe('CORS', () => {
  const preflight = (path: string) =>
    fetch(`${stack.api.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });

  test('answers the Temporal UI\'s preflight for /codec/decode and /codec/encode', async () => {
    for (const route of ['/codec/decode', '/codec/encode']) {
      const response = await preflight(route);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      const allowed = response.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-namespace', 'authorization']));
      expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    }
  });

  test('the rest of the API sends no CORS headers', async () => {
    expect((await preflight('/tasks')).headers.get('access-control-allow-origin')).toBeNull();
    const health = await fetch(`${stack.api.url}/health/live`, { headers: { origin: UI_ORIGIN } });
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
  });
});
