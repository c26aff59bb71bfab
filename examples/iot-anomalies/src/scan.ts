/**
 * Sending work from TypeScript: one task with the Celerity client, then the app's own
 * workflow (the chord in workflows.ts) with the Temporal client underneath.
 * Run it while `npm start` runs: `npm run scan`.
 */
import { randomUUID } from 'node:crypto';
import { CelerityClient, connectClient, loadConfig } from 'celerity';
import app from './app.js';
import type { ScanInput } from './workflows.js';

const config = loadConfig();
// Without TEMPORAL_ADDRESS, `celerity dev` runs the embedded server on TEMPORAL_PORT.
const temporal = await connectClient({ ...config, temporalAddress: config.temporalAddress ?? `127.0.0.1:${config.devServerPort}` });
const celerity = new CelerityClient({ client: temporal, registry: app.registry, workflowQueue: config.workflowQueue });

// One task (Celery's apply_async), then its result (AsyncResult.get(timeout=30)).
const { task } = await celerity.applyAsync({ task: 'detect_anomalies', args: ['boiler-1', [71, 72, 70, 71, 98, 72, 71], 2] });
const report = await celerity.waitResult(task.id, 30);

// The app's own workflow, on Celerity's workflow queue; its chord's members are tasks like any other.
const input: ScanInput = { readings: { 'boiler-1': [71, 72, 70, 71, 98, 72, 71], 'boiler-2': [65, 66, 65, 64, 66, 65, 65] } };
const scan = await temporal.workflow.start('scanSensors', { taskQueue: config.workflowQueue, workflowId: `scan-${randomUUID()}`, args: [input] });
const summary = await celerity.waitResult(scan.workflowId, 30);

console.log(JSON.stringify({ task: { id: task.id, state: report.state, result: report.result }, scan: { id: scan.workflowId, state: summary.state, result: summary.result } }));
await temporal.connection.close();
