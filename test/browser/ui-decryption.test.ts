/**
 * With encryption and API keys on, the Temporal Web UI of `celerity dev` (what `npm start` runs)
 * shows a task's argument and result decrypted only in a browser that gave the API an allowed
 * key, the way the README tells a user to: the key entered at the API's /codec/session, then the
 * UI's codec server set for this browser with cross-origin credentials. Without a key, or with
 * one the API does not know, /codec answers 401 and the page shows ciphertext and the UI's codec
 * error. Every key has `read` (scopes nest), so no key is refused with 403 here. Runs the built
 * CLI on free ports; leaves a screenshot of each case in test-artifacts/.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { devEnv } from '../support/dev-env.js';
import { spawnProcess, type Proc } from '../support/processes.js';
import { browserTest, freshPage, haveChromium, launchChromium, screenshot } from './chromium.js';

const READER = `reader-${randomUUID()}`;
const SENDER = `sender-${randomUUID()}`;
const tag = randomUUID().slice(0, 8);
const ARG = `lichen-${tag}`;
const RESULT = `${ARG}-quartz`; // add(ARG, '-quartz'): shown only once decrypted

let env: NodeJS.ProcessEnv;
let dev: Proc;
let browser: Browser;
let api: string;
let codecEndpoint: string;
let taskPage: string;

beforeAll(async () => {
  if (!haveChromium) return;
  env = await devEnv({
    CELERITY_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'celerity-ui-decryption-')),
    CELERITY_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    CELERITY_API_KEYS: `reader:read:${READER},sender:submit:${SENDER}`,
  });
  api = `http://127.0.0.1:${env.PORT}`;
  codecEndpoint = `${api}/codec`;
  dev = spawnProcess(process.execPath, [path.resolve('dist/src/cli/main.js'), 'dev'], env);
  await dev.waitFor('press Ctrl-C to stop', 150_000);
  expect(dev.output()).toContain(`codec key:   ${codecEndpoint}/session`);

  const sent = await call('POST', '/tasks', SENDER, { task: 'add', args: [ARG, '-quartz'] });
  expect(sent.status).toBe(202);
  const done = await call('GET', `/tasks/${sent.body.id}/result?timeout=30`, READER);
  expect(done.body).toMatchObject({ state: 'SUCCESS', result: RESULT });
  taskPage = done.body.temporal_ui;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (dev) {
    dev.child.kill('SIGTERM');
    await dev.exited;
  }
  if (env) rmSync(env.CELERITY_DATA_DIR!, { recursive: true, force: true });
});

async function call(method: string, route: string, key: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${api}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** Enters `key` in the API's /codec/session form, as a UI user is told to; the form's answer status. */
async function enterKey(page: Page, key: string): Promise<number> {
  await page.goto(`${codecEndpoint}/session`);
  // The form tells the user which endpoint to enter in the UI.
  expect(await page.locator('code').innerText()).toBe(codecEndpoint);
  await page.fill('input[name=key]', key);
  const [answer] = await Promise.all([page.waitForResponse(`${codecEndpoint}/session`), page.click('button[type=submit]')]);
  return answer.status();
}

/** In the UI's Codec Server settings: this browser's endpoint, with cross-origin credentials. */
async function useCodecInThisBrowser(page: Page): Promise<void> {
  await page.goto(taskPage);
  await page.locator('[data-testid^="data-encoder-status"]').click();
  await page.getByText('Use my browser setting and ignore Cluster-level setting').click();
  await page.locator('#data-encoder-endpoint-input').fill(codecEndpoint);
  await page.getByTestId('data-encoder-include-credentials').click();
  await page.getByRole('button', { name: 'Apply' }).click();
}

/** Opens the task's page; its text once the UI has decoded (or failed to), and the statuses of /codec/decode. */
async function viewTask(page: Page, shown: string | RegExp): Promise<{ text: string; decodes: number[] }> {
  const decodes: number[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(`${codecEndpoint}/decode`)) decodes.push(response.status());
  });
  await page.goto(taskPage);
  await page.getByText(/^Result$/).waitFor();
  await page.getByText(shown).filter({ visible: true }).first().waitFor();
  return { text: await page.locator('body').innerText(), decodes };
}

browserTest('with an allowed key, the task\'s page shows its argument and result decrypted', async () => {
  const page = await freshPage(browser);
  expect(await enterKey(page, READER)).toBe(200);
  await useCodecInThisBrowser(page);
  const { text, decodes } = await viewTask(page, RESULT);
  await screenshot(page, 'ui-decryption-allowed-key');
  expect(text).toContain(`"${ARG}"`); // the input: add's first argument
  expect(text).toMatch(new RegExp(`Result\\s+"${RESULT}"`));
  expect(decodes.length).toBeGreaterThan(0);
  expect(decodes.every((status) => status === 200)).toBe(true);
});

browserTest('without a key, the UI wired to the API\'s codec shows neither, and /codec answers 401', async () => {
  const page = await freshPage(browser);
  // The UI as `npm start` wires it (--ui-codec-endpoint): the API's /codec, called without a key.
  const { text, decodes } = await viewTask(page, 'Codec Server could not connect');
  await screenshot(page, 'ui-decryption-no-key');
  expect(decodes.length).toBeGreaterThan(0);
  expect(decodes.every((status) => status === 401)).toBe(true);
  expect(text).not.toContain(ARG);
});

browserTest('with a key the API does not know, the form refuses it, and a retired key\'s cookie decodes nothing', async () => {
  const page = await freshPage(browser);
  expect(await enterKey(page, `unknown-${randomUUID()}`)).toBe(401);
  // What the browser holds once its key is taken out of CELERITY_API_KEYS.
  await page.context().addCookies([{ name: 'celerity_codec_key', value: `retired-${randomUUID()}`, domain: '127.0.0.1', path: '/codec' }]);
  await useCodecInThisBrowser(page);
  const { text, decodes } = await viewTask(page, 'Codec Server could not connect');
  await screenshot(page, 'ui-decryption-unknown-key');
  expect(decodes.length).toBeGreaterThan(0);
  expect(decodes.every((status) => status === 401)).toBe(true);
  expect(text).not.toContain(ARG);
});
