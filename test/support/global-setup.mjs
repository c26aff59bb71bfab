// Starts one real Temporal dev server for the whole run (in memory, on free ports) and bundles
// the workflows once: Celerity's and this repository's app's, as `npm start` runs them. Nothing
// is downloaded here: `npm test` builds dist/ and provisions the Temporal CLI first (its pretest
// step). jest loads this file outside its module system, so it uses the built code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import app from '../../dist/activities/index.js';
import { findTemporalCli } from '../../dist/src/temporal/cli.js';
import { freePort, startDevServer } from '../../dist/src/temporal/dev-server.js';
import { bundleAppWorkflows } from '../../dist/src/worker/app-workflows.js';

export default async function globalSetup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'celerity-test-'));
  const noop = () => undefined;
  const logger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
  const [cli, port, bundle] = await Promise.all([
    findTemporalCli({ install: false }),
    freePort(),
    bundleAppWorkflows(app.workflowsPath, logger),
  ]);
  const server = await startDevServer({ cli, port, namespace: 'default', logFile: path.join(dir, 'temporal.log') });
  globalThis.celerityTestServer = server;
  globalThis.celerityTestDir = dir;
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env.CELERITY_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.CELERITY_TEST_WORKFLOW_BUNDLE = bundlePath;
}
