/**
 * Headless Chromium (the Debian package) for the tests that look at the Temporal Web UI, and
 * where they leave their screenshots (test-artifacts/).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const MISSING = 'the browser tests need Debian\'s Chromium at /usr/bin/chromium: apt-get install chromium';

// A developer without Chromium is told what to install and the rest of `npm test` still runs;
// CI (CI=true) installs it, and there a missing browser fails the run.
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(MISSING);
if (!haveChromium) console.warn(`skipped: ${MISSING}`);

/** jest's `test`, skipped without Chromium. */
export const browserTest = haveChromium ? test : test.skip;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A page in a context of its own: no cookies, no local storage (the UI's settings) from another. */
export async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  return context.newPage();
}

/** The whole page as test-artifacts/`name`.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
