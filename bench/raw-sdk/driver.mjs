// The raw Temporal SDK baseline, run as a driver (bench/lib/driver.mjs): B1, B2 and the
// server's own workflow-start rate (B4's reference), in each configuration the Temporal SDK
// offers for a one-activity workflow.
//
//   node bench/raw-sdk/driver.mjs '{"address": "127.0.0.1:7233", "b1": 500, "b2": 10000, "b4Seconds": 20}'
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { latencyStats, pool, sequentialLatency, throughput } from '../lib/measure.mjs';

const config = JSON.parse(process.argv[2]);
const activities = { add: async (x, y) => x + y };
const WORKFLOW_QUEUE = 'raw-workflows';
const ACTIVITY_QUEUE = 'raw-activities';

/**
 * two-queues: workflow and activity on their own queues (as Celerity's today): every activity
 * waits for a poller. one-queue: the same worker polls both, so the server hands the activity
 * back in the workflow task's completion (eager activity dispatch). eager-two-queues and
 * eager-one-queue: the same, with the client on the worker's NativeConnection asking for eager
 * workflow start (the first workflow task comes back with the start, as in `celerity dev`).
 * eager-local: eager start, and the workflow runs `add` as a local activity: one workflow
 * task, no activity task.
 */
const MODES = {
  'two-queues': { workflow: 'addTask', activityQueue: ACTIVITY_QUEUE, eager: false },
  'one-queue': { workflow: 'addTask', activityQueue: WORKFLOW_QUEUE, eager: false },
  'eager-two-queues': { workflow: 'addTask', activityQueue: ACTIVITY_QUEUE, eager: true },
  'eager-one-queue': { workflow: 'addTask', activityQueue: WORKFLOW_QUEUE, eager: true },
  'eager-local': { workflow: 'addLocal', eager: true },
};

const emit = (line) => console.log(JSON.stringify(line));

Runtime.install({ logger: new DefaultLogger('WARN') });
const workflowBundle = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(new URL('./workflows.mjs', import.meta.url)),
  logger: new DefaultLogger('WARN'),
});
const native = await NativeConnection.connect({ address: config.address });
const grpc = await Connection.connect({ address: config.address });

for (const [mode, setup] of Object.entries(MODES)) {
  const workers = [
    await Worker.create({ connection: native, taskQueue: WORKFLOW_QUEUE, workflowBundle, activities, maxConcurrentActivityTaskExecutions: 100 }),
  ];
  if (setup.activityQueue === ACTIVITY_QUEUE) {
    workers.push(await Worker.create({ connection: native, taskQueue: ACTIVITY_QUEUE, activities, maxConcurrentActivityTaskExecutions: 100 }));
  }
  const running = workers.map((worker) => worker.run());
  // Eager workflow start needs the client on the worker's own connection.
  const client = new Client({ connection: setup.eager ? native : grpc });
  const start = (i) =>
    client.workflow.start(setup.workflow, {
      taskQueue: WORKFLOW_QUEUE,
      workflowId: `raw-${mode}-${randomUUID()}`,
      args: setup.activityQueue ? [i, i, setup.activityQueue] : [i, i],
      requestEagerStart: setup.eager,
    });
  try {
    const variant = `raw SDK, ${mode}`;
    emit({ scenario: 'B1', variant, ...(await sequentialLatency(async (i) => (await start(i)).result(), config.b1)) });
    emit({
      scenario: 'B2',
      variant,
      ...(await throughput({ count: config.b2, concurrency: 50, submit: start, result: (handle) => handle.result() })),
    });
  } finally {
    for (const worker of workers) worker.shutdown();
    await Promise.all(running);
  }
}

emit({ scenario: 'B4', variant: 'raw SDK, workflow starts', ...(await startRate(new Client({ connection: grpc }), config.b4Seconds)) });
await native.close();
await grpc.close();

/**
 * The server's own workflow-start rate: 50 starts in flight for `seconds`, on a queue no worker
 * polls, so that nothing else competes for the server.
 */
async function startRate(client, seconds) {
  const deadline = performance.now() + seconds * 1000;
  const samples = [];
  await pool(Array.from({ length: 50 }), 50, async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await client.workflow.start('addTask', { taskQueue: 'raw-unpolled', workflowId: `raw-start-${randomUUID()}`, args: [1, 1, 'raw-unpolled'] });
      samples.push(performance.now() - started);
    }
  });
  return { req_per_s: Math.round(samples.length / seconds), ...latencyStats(samples) };
}
