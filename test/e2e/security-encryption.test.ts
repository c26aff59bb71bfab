/**
 * Encryption at rest, end to end: a file-backed dev server, and a worker and an API run as the
 * `celerity` command runs them, with CELERITY_ENCRYPTION_KEYS and CELERITY_API_KEYS. The
 * SQLite file must hold no argument, result or error message in plaintext, while the API
 * answers them to a key that may read; keys rotate without losing what the old key wrote.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../src/config.js';
import { findTemporalCli } from '../../src/temporal/cli.js';
import { freePort, startDevServer, type DevServer } from '../../src/temporal/dev-server.js';

jest.setTimeout(240_000);

const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const READER = 'reader-secret-enc-0123456789';
const SUBMITTER = 'submitter-secret-enc-0123456789';
const API_KEYS = `reader:read:${READER},ci:submit:${SUBMITTER}`;
const id = randomUUID().slice(0, 8);
const ARG_A = `sec-arg-${id}-a`;
const ARG_B = `zz-${id}-b`;
const RESULT = `${id}-azz`; // only in add(ARG_A, ARG_B)'s result
const ERROR = `sec-error-${id}`;
const KWARG = `sec-kwarg-${id}`;
const LATER = `sec-later-${id}`;

let dir: string;
let server: DevServer;
let connection: Connection;
let raw: Client;
let apiUrl: string;
let env: NodeJS.ProcessEnv;
const processes: Array<{ child: ChildProcess; output: () => string }> = [];

/** Runs `celerity <command>` from dist/ and resolves once it prints `ready`. */
async function celerity(command: string, encryptionKeys: string, ready: string) {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/cli/main.js'), command], {
    env: { ...env, CELERITY_ENCRYPTION_KEYS: encryptionKeys },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const entry = { child, output: () => output };
  processes.push(entry);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`celerity ${command} did not start:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`celerity ${command} exited (${code}):\n${output}`)));
  });
  return entry;
}

async function startCelerity(encryptionKeys: string) {
  const worker = await celerity('worker', encryptionKeys, 'worker serving queues');
  const api = await celerity('api', encryptionKeys, 'API on');
  return { worker, api };
}

async function stop(entry: { child: ChildProcess }) {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  const exited = new Promise((resolve) => entry.child.once('exit', resolve));
  entry.child.kill('SIGTERM');
  await exited;
}

async function call(method: string, route: string, key?: string, body?: unknown) {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${apiUrl}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** Every byte of the dev server's SQLite database (the file and its write-ahead log). */
function database(): Buffer {
  return Buffer.concat(readdirSync(dir).filter((name) => name.startsWith('temporal.db')).map((name) => readFileSync(path.join(dir, name))));
}

/** The first payload of a history event's input or result, as stored (no codec). */
async function storedPayload(workflowId: string, event: 'input' | 'result') {
  const history = await raw.workflow.getHandle(workflowId).fetchHistory();
  const found = history.events!.find((e) =>
    event === 'input' ? e.workflowExecutionStartedEventAttributes : e.workflowExecutionCompletedEventAttributes,
  )!;
  const payloads = event === 'input' ? found.workflowExecutionStartedEventAttributes!.input!.payloads! : found.workflowExecutionCompletedEventAttributes!.result!.payloads!;
  const payload = payloads[0];
  const meta = (key: string) => Buffer.from(payload.metadata?.[key] ?? []).toString();
  return { payload, encoding: meta('encoding'), keyId: meta('encryption-key-id') };
}

let celerityProcesses: { worker: { child: ChildProcess; output: () => string }; api: { child: ChildProcess; output: () => string } };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'celerity-encryption-'));
  const [cli, port, apiPort] = await Promise.all([findTemporalCli({ install: false }), freePort(), freePort()]);
  server = await startDevServer({ cli, port, dbFile: path.join(dir, 'temporal.db'), namespace: 'default', logFile: path.join(dir, 'temporal.log') });
  apiUrl = `http://127.0.0.1:${apiPort}`;
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: server.address,
    CELERITY_WORKFLOW_QUEUE: `celerity-encryption-${id}`,
    CELERITY_API_KEYS: API_KEYS,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    LOG_LEVEL: 'info',
  };
  connection = await Connection.connect({ address: server.address });
  raw = new Client({ connection, namespace: 'default' });
  celerityProcesses = await startCelerity(`k1:${OLD_KEY}`);
});

afterAll(async () => {
  await Promise.all(processes.map(stop));
  await connection?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('encryption at rest', () => {
  const visibleId = `visible-${id}`;

  it('stores no argument, result or error in plaintext, and the API answers them to a reader', async () => {
    const added = await call('POST', '/tasks', SUBMITTER, { task: 'add', args: [ARG_A, ARG_B], options: { task_id: visibleId } });
    const echoed = await call('POST', '/tasks', SUBMITTER, { task: 'echo', args: [], kwargs: { note: KWARG } });
    const failed = await call('POST', '/tasks', SUBMITTER, { task: 'fail', args: [ERROR] });
    expect([added.status, echoed.status, failed.status]).toEqual([202, 202, 202]);

    const sum = await call('GET', `/tasks/${visibleId}/result?timeout=60`, READER);
    expect(sum.body).toMatchObject({ state: 'SUCCESS', result: `${ARG_A}${ARG_B}`, args: [ARG_A, ARG_B] });
    expect((await call('GET', `/tasks/${echoed.body.id}/result?timeout=60`, READER)).body).toMatchObject({ state: 'SUCCESS', result: [[], { note: KWARG }] });
    const error = await call('GET', `/tasks/${failed.body.id}/result?timeout=60`, READER);
    expect(error.body).toMatchObject({ state: 'FAILURE', error: { type: 'ExpectedError', message: ERROR } });
    expect(error.body.error.traceback).toContain(ERROR);

    const bytes = database();
    // The control: what encryption leaves readable (the task id) is in the file.
    expect(bytes.includes(visibleId)).toBe(true);
    for (const secret of [ARG_A, ARG_B, RESULT, KWARG, ERROR]) expect([secret, bytes.includes(secret)]).toEqual([secret, false]);
    expect((await storedPayload(visibleId, 'input')).encoding).toBe('binary/encrypted');
  });

  it('encrypts progress meta (heartbeat details), which the API shows to a reader', async () => {
    const sent = await call('POST', '/tasks', SUBMITTER, { task: 'progress', args: [6, 1] });
    let seen: any;
    for (const deadline = Date.now() + 30_000; seen?.state !== 'PROGRESS' && Date.now() < deadline; ) {
      seen = (await call('GET', `/tasks/${sent.body.id}`, READER)).body;
      if (seen.state !== 'PROGRESS') await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(seen).toMatchObject({ state: 'PROGRESS', meta: { total: 6 } });
    const { raw: described } = await raw.workflow.getHandle(sent.body.id).describe();
    const [details] = described.pendingActivities![0].heartbeatDetails!.payloads!;
    expect(Buffer.from(details.metadata!.encoding!).toString()).toBe('binary/encrypted');
  });

  it('decodes payloads at /codec only for a key that may read', async () => {
    const { payload, keyId } = await storedPayload(visibleId, 'result');
    expect(keyId).toBe('k1');
    const body = { payloads: [{ metadata: Object.fromEntries(Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(payload.data!).toString('base64') }] };
    expect((await call('POST', '/codec/decode', undefined, body)).status).toBe(401);
    expect((await call('POST', '/codec/decode', `${READER}x`, body)).status).toBe(401);
    const decoded = await call('POST', '/codec/decode', READER, body);
    expect(decoded.status).toBe(200);
    expect(JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString())).toBe(`${ARG_A}${ARG_B}`);
  });

  it('never logs an API key', () => {
    const log = celerityProcesses.api.output();
    expect(log).toContain('"url":"/tasks"');
    for (const secret of [READER, SUBMITTER]) expect(log.includes(secret)).toBe(false);
  });

  it('after a key rotation, reads what the old key wrote and finishes what was in flight with the new key', async () => {
    const pending = await call('POST', '/tasks', SUBMITTER, { task: 'echo', args: [LATER], options: { countdown: 5 } });
    expect(pending.status).toBe(202);
    await Promise.all([stop(celerityProcesses.worker), stop(celerityProcesses.api)]);
    celerityProcesses = await startCelerity(`k2:${NEW_KEY},k1:${OLD_KEY}`);

    expect((await call('GET', `/tasks/${visibleId}`, READER)).body).toMatchObject({ state: 'SUCCESS', result: `${ARG_A}${ARG_B}` });
    expect((await call('GET', `/tasks/${pending.body.id}/result?timeout=60`, READER)).body).toMatchObject({ state: 'SUCCESS', result: [[LATER], {}] });
    expect((await storedPayload(pending.body.id, 'input')).keyId).toBe('k1');
    expect((await storedPayload(pending.body.id, 'result')).keyId).toBe('k2');
    expect(database().includes(LATER)).toBe(false);
  });
});
