// BullMQ's scenarios, run as a driver (bench/lib/driver.mjs) against bench/bullmq/worker.mjs.
// A result is awaited as BullMQ users do: `job.waitUntilFinished(queueEvents)`; a chord is a flow
// whose parent job sums its children's results.
//
//   node bench/bullmq/driver.mjs '{"port": 6379, "b1": 500, "b2": 10000, "b3": 10000, "b3c": 10000, "b5": 100000}'
import { FlowProducer, Queue, QueueEvents } from 'bullmq';
import { expectedSum, sequentialLatency, throughput, timed } from '../lib/measure.mjs';

const config = JSON.parse(process.argv[2]);
const connection = { host: '127.0.0.1', port: config.port };
const queue = new Queue('bench', { connection });
// From the stream's start: with '$' (the default), an event sent before QueueEvents' first read
// is lost, and the first job's waitUntilFinished then waits for ever.
const events = new QueueEvents('bench', { connection, lastEventId: '0-0' });
const flows = new FlowProducer({ connection });
await events.waitUntilReady();
const TTL_MS = 30 * 60_000;
const emit = (line) => console.log(JSON.stringify({ variant: 'BullMQ', ...line }));
const add = (i) => queue.add('add', { x: i, y: i }, { removeOnComplete: false });
const pairs = (n) => Array.from({ length: n }, (_, i) => [i, i]);

emit({ scenario: 'B1', ...(await sequentialLatency(async (i) => (await add(i)).waitUntilFinished(events, TTL_MS), config.b1)) });
emit({ scenario: 'B2', ...(await throughput({ count: config.b2, concurrency: 50, submit: add, result: (job) => job.waitUntilFinished(events, TTL_MS) })) });

/** A flow whose parent `xsum` waits for `children`, timed from submission to the parent's result. */
async function flow(children, n) {
  const { seconds, value } = await timed(async () => {
    const { job } = await flows.add({ name: 'xsum', queueName: 'bench', children });
    return job.waitUntilFinished(events, TTL_MS);
  });
  if (value !== expectedSum(n)) throw new Error(`the flow's sum is ${value}, not ${expectedSum(n)}`);
  return { n, seconds, tasks_per_s: Math.round(n / seconds) };
}
const members = (n) => pairs(n).map(([x, y]) => ({ name: 'add', queueName: 'bench', data: { x, y } }));
const chunks = (n, size) =>
  Array.from({ length: Math.ceil(n / size) }, (_, k) => ({ name: 'starmap', queueName: 'bench', data: { it: pairs(n).slice(k * size, (k + 1) * size) } }));

emit({ scenario: 'B3', ...(await flow(members(config.b3), config.b3)) });
emit({ scenario: 'B3c', ...(await flow(chunks(config.b3c, 100), config.b3c)) });
if (config.b5) emit({ scenario: 'B5', ...(await flow(members(config.b5), config.b5)) });
await Promise.all([queue.close(), events.close(), flows.close()]);
