/**
 * The Temporal Web UI as a first-class view of Celerity's tasks, checked in a real browser
 * (headless Chromium, the Debian package): a task's page shows its activity and result, and
 * the workflow list finds tasks by Celerity's search attributes. Leaves a screenshot in
 * test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { findTemporalCli } from '../../src/temporal/cli.js';
import { freePort, startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { startStack, type Stack } from '../support/stack.js';
import { browserTest, freshPage, haveChromium, launchChromium, screenshot } from './chromium.js';

let server: DevServer;
let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!haveChromium) return;
  // The suite's dev server is headless; this file needs one with its Web UI.
  const [cli, port, uiPort] = await Promise.all([findTemporalCli({ install: false }), freePort(), freePort()]);
  server = await startDevServer({ cli, port, uiPort, namespace: 'default' });
  const suiteServer = process.env.CELERITY_TEST_TEMPORAL_ADDRESS;
  process.env.CELERITY_TEST_TEMPORAL_ADDRESS = server.address;
  try {
    stack = await startStack();
  } finally {
    process.env.CELERITY_TEST_TEMPORAL_ADDRESS = suiteServer;
  }
  browser = await launchChromium();
  page = await freshPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await server?.stop();
});

browserTest('a task\'s page in the Temporal UI shows its activity and its result, and the list finds it by task name', async () => {
  const sent = await stack.post('/tasks', { task: 'add', args: [20, 22] });
  expect(sent.status).toBe(202);
  const { id } = sent.body;
  const done = (await stack.get(`/tasks/${id}/result?timeout=20`)).body;
  expect(done.state).toBe('SUCCESS');

  const workflows = `${server.uiUrl}/namespaces/default/workflows`;
  await page.goto(`${workflows}/${encodeURIComponent(id)}/${done.temporal_ui.split('/').pop()}`);
  await page.getByText('COMPLETED').first().waitFor();
  await page.getByText(/^Result$/).waitFor();
  const text = await page.locator('body').innerText();
  expect(text).toContain(id);
  expect(text).toMatch(/Result\s+42\b/);
  // The timeline names the activity after the task.
  expect(await page.getByText('add', { exact: true }).count()).toBeGreaterThan(0);
  await screenshot(page, 'temporal-ui-task');

  // Visibility lags a little: the list may need a reload to show it.
  const query = encodeURIComponent(`CelerityTask="add" AND ExecutionStatus="Completed"`);
  let listed = false;
  for (const deadline = Date.now() + 40_000; !listed && Date.now() < deadline; ) {
    await page.goto(`${workflows}?query=${query}`);
    // The page renders after it loads, slowly on a busy machine.
    listed = await page.getByText(id).first().waitFor({ timeout: 8000 }).then(() => true, () => false);
  }
  await screenshot(page, 'temporal-ui-list');
  expect(listed).toBe(true);
});

browserTest('a chain\'s page in the Temporal UI shows its member tasks and the final result', async () => {
  const sent = await stack.post('/tasks', { chain: [{ task: 'add', args: [2, 2] }, { task: 'mul', args: [4] }] });
  expect(sent.status).toBe(202);
  const done = (await stack.get(`/tasks/${sent.body.id}/result?timeout=20`)).body;
  expect(done).toMatchObject({ state: 'SUCCESS', result: 16 });

  await page.goto(`${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(done.id)}/${done.temporal_ui.split('/').pop()}`);
  await page.getByText(/^Result$/).waitFor();
  expect(await page.locator('body').innerText()).toMatch(/Result\s+16\b/);
  // Each member ran as an activity named after its task, on the timeline.
  for (const member of ['add', 'mul']) await page.getByText(member, { exact: true }).first().waitFor();
  await screenshot(page, 'temporal-ui-chain');
});
